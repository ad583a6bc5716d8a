"""The lock files `make install` and `make bench` use agree with pyproject.toml: every dependency is
pinned once, at a version its requirement accepts, with hashes. A dependency added to pyproject.toml
without `make lock` fails here, naming it."""

import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.support import ROOT

PINNED = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", re.M)


def _locked(name: str) -> dict[str, Version]:
    text = (ROOT / name).read_text(encoding="utf-8")
    pins = PINNED.findall(text)
    names = [canonicalize_name(n) for n, _ in pins]
    assert len(names) == len(set(names)), f"{name} pins a package twice"
    assert text.count("--hash=sha256:") >= len(pins), f"{name}: every pin needs its hashes (make lock)"
    return {canonicalize_name(n): Version(v) for n, v in pins}


def _requirements(*extras: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        found += [Requirement(r) for r in project["optional-dependencies"][extra]]
    return found


@pytest.mark.parametrize(("lock", "extras"), [("requirements.lock", ("test",)),
                                              ("requirements-bench.lock", ("test", "bench"))])
def test_every_dependency_is_pinned_at_a_version_it_accepts(lock, extras):
    pins = _locked(lock)
    problems = []
    for requirement in _requirements(*extras):
        version = pins.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{requirement.name} is not in {lock}")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{requirement.name}=={version} does not satisfy {requirement}")
    assert not problems, "run `make lock`: " + "; ".join(problems)


def test_the_bench_lock_keeps_the_versions_of_the_main_lock():
    main, bench = _locked("requirements.lock"), _locked("requirements-bench.lock")
    differ = sorted(f"{name} {main[name]} != {bench[name]}" for name in main if bench.get(name) != main[name])
    assert not differ, differ
