"""Demo Family Roundtables: three upcoming (one online, one held in Spanish) with families signed up,
one past roundtable with what the organisers learned, and a draft (the first one copied to a date six
weeks out) for the organisers to check and open. Built through the services; idempotent
(a roundtable is recognised by its English title)."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from hub.demo import demo_step
from hub.models import District
from hub.program import PROGRAM_TZ
from roundtable import services
from roundtable.models import Format, Insight, Roundtable

ORGANISER = "trainer"


def _at(days: int, hour: int) -> datetime:
    return datetime.combine(timezone.localdate() + timedelta(days=days), time(hour, 0), tzinfo=PROGRAM_TZ)


ROUNDTABLES = [
    dict(title_en="Family Roundtable: getting to school every day",
         title_es="Mesa redonda familiar: llegar a la escuela cada día",
         description_en="Share what makes mornings hard and what helps. Dinner, childcare and interpreters provided.",
         description_es="Cuéntenos qué hace difíciles las mañanas y qué ayuda. Habrá cena, cuidado de niños e "
                        "intérpretes.",
         days=12, hour=18, format=Format.IN_PERSON, held_in="en", languages=["en", "es", "pt"], capacity=25,
         address="Burns Latino Studies Academy, 195 Putnam Street, Hartford, CT 06106", district="Hartford"),
    dict(title_en="Family Roundtable in Spanish: your voice in LEAP",
         title_es="Mesa redonda familiar en español: su voz en LEAP",
         description_en="A conversation held in Spanish about home visits and what families want from schools.",
         description_es="Una conversación en español sobre las visitas al hogar y lo que las familias esperan de "
                        "las escuelas.",
         days=19, hour=18, format=Format.IN_PERSON, held_in="es", languages=["es"], capacity=4,
         address="Fair Haven School, 164 Grand Avenue, New Haven, CT 06513", district="New Haven"),
    dict(title_en="Online Family Roundtable: after the first home visit",
         title_es="Mesa redonda familiar en línea: después de la primera visita",
         description_en="For families who have had a LEAP visit: what was it like, and what should change?",
         description_es="Para familias que recibieron una visita de LEAP: ¿cómo fue y qué debería cambiar?",
         days=26, hour=19, format=Format.VIRTUAL, held_in="en", languages=["en", "es", "ht"], capacity=40,
         join_link="https://meet.example.org/leap-family-roundtable"),
]

PAST = dict(title_en="Family Roundtable: what a home visit felt like",
            title_es="Mesa redonda familiar: cómo se sintió la visita al hogar",
            description_en="Families who had LEAP visits last spring talked with the Hub and the parent advocacy center.",
            description_es="Familias que recibieron visitas de LEAP la primavera pasada conversaron con el Hub.",
            days=-30, hour=18, format=Format.IN_PERSON, held_in="en", languages=["en", "es"], capacity=20,
            address="Waterbury Public Library, 267 Grand Street, Waterbury, CT 06702", district="Waterbury")

FAMILIES = [
    dict(name="María López", email="maria.lopez@example.org", preferred_language="es", interpretation_language="es",
         children_count=2, district="Hartford", heard_from="school"),
    dict(name="Kevin Brooks", phone="860-555-0142", preferred_language="en", children_count=1,
         accessibility_needs="Wheelchair access, please.", district="Hartford", heard_from="home_visitor"),
    dict(name="Fernanda Alves", email="f.alves@example.org", preferred_language="en", interpretation_language="pt",
         district="East Hartford", heard_from="family_friend"),
    dict(name="Rosa Méndez", phone="203-555-0188", preferred_language="es", children_count=3, district="New Haven",
         heard_from="flyer"),
    dict(name="Luis Ortiz", email="luis.ortiz@example.org", preferred_language="es", district="New Haven"),
    dict(name="Jean-Baptiste Pierre", email="jb.pierre@example.org", preferred_language="en",
         interpretation_language="ht", district="Bridgeport", heard_from="community"),
]

INSIGHTS = [
    ("barrier", "theme", "Mornings with several children and no bus: the older child stays home to help."),
    ("barrier", "theme", "Families worried that a visit meant they were in trouble."),
    ("helps", "theme", "A visitor who spoke the family's language and came back a second time."),
    ("helps", "quote", "She asked what my son likes, not why he was absent."),
    ("idea", "theme", "Text reminders in Spanish the evening before a school event."),
    ("idea", "quote", "Tell us earlier when the bus route changes."),
]


def _roundtable(spec: dict, organiser) -> tuple[Roundtable, bool]:
    existing = Roundtable.objects.filter(title_en=spec["title_en"]).first()
    if existing is not None:
        return existing, False
    spec = dict(spec)
    starts = _at(spec.pop("days"), spec.pop("hour"))
    district = spec.pop("district", None)
    return services.roundtable_create(
        by=organiser, starts_at=starts, ends_at=starts + timedelta(hours=2),
        district=District.objects.filter(name=district).first() if district else None, **spec,
    ), True


def _sign_up(roundtable: Roundtable, family: dict, now=None) -> None:
    family = dict(family)
    district = family.pop("district", None)
    services.signup_create(roundtable=roundtable, consent=True, now=now,
                           district=District.objects.filter(name=district).first() if district else None, **family)


@demo_step(order=35)
def seed_roundtables() -> str:
    organiser = get_user_model().objects.get(username=ORGANISER)
    created = 0
    for n, spec in enumerate(ROUNDTABLES):
        roundtable, new = _roundtable(spec, organiser)
        if new:
            created += 1
            # The Spanish roundtable (4 places) fills up and has a waitlist.
            for family in {0: FAMILIES[:4], 1: FAMILIES, 2: FAMILIES[2:5]}[n]:
                _sign_up(roundtable, family)
    past, new = _roundtable(PAST, organiser)
    if new:
        created += 1
        before = past.starts_at - timedelta(days=7)
        for family in FAMILIES:
            _sign_up(past, family, now=before)
        for tag, kind, text in INSIGHTS:
            services.insight_record(roundtable=past, by=organiser, tag=tag, kind=kind, text=text)
    first = Roundtable.objects.filter(title_en=ROUNDTABLES[0]["title_en"], is_draft=False).first()
    if first is not None and not Roundtable.objects.filter(title_en=first.title_en, is_draft=True).exists():
        starts = _at(42, 18)
        services.roundtable_copy(roundtable=first, by=organiser, starts_at=starts, ends_at=starts + timedelta(hours=2))
        created += 1
    return (f"{created} roundtables created ({Roundtable.objects.count()} in all, "
            f"{Insight.objects.count()} insights)")
