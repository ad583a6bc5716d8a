"""The Spanish catalogue: compiled, and complete for the family-facing strings and the site layout."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _entries():
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        refs = " ".join(line for line in block.splitlines() if line.startswith("#:"))
        strings = dict(re.findall(r'^(msgid|msgstr(?:\[0\])?) ((?:".*"\n?)+)', block + "\n", re.M))
        if "msgid" not in strings:
            continue
        joined = {k: "".join(re.findall(r'"(.*)"', v)) for k, v in strings.items()}
        yield refs, joined["msgid"], joined.get("msgstr") or joined.get("msgstr[0]", "")


def test_every_roundtable_and_layout_string_has_a_spanish_translation():
    untranslated = [msgid for refs, msgid, msgstr in _entries()
                    if msgid and ("roundtable/" in refs or "templates/base.html" in refs) and not msgstr]
    assert untranslated == []


@pytest.mark.skipif(not Path("/usr/bin/msgfmt").exists(), reason="msgfmt is missing")
def test_the_compiled_catalogue_is_valid_and_not_older_than_the_source():
    subprocess.run(["/usr/bin/msgfmt", "--check-format", "-o", "/dev/null", str(PO)], check=True)
    assert MO.exists() and MO.stat().st_mtime >= PO.stat().st_mtime - 1


def test_the_layout_and_family_strings_are_translated_at_runtime():
    with translation.override("es"):
        assert translation.gettext("Skip to main content") == "Ir al contenido principal"
        assert translation.gettext("Family Roundtables") == "Mesas redondas familiares"
        assert translation.gettext("Cancel my sign-up") == "Cancelar mi inscripción"
