"""The demo site: regions, the 15 LEAP districts, schools, partners and people in every role.

`python manage.py seed_demo` runs every registered step in order. Each app adds its own content with a
`demo.py` module that registers a step (found by `autodiscover_modules("demo")`), so that `hub` never
imports the apps above it. Every step is idempotent and builds through the services. An app may also
register a `demo_check`, run before any step, to refuse a seed that would fail part-way.
"""

from collections.abc import Callable
from dataclasses import dataclass

from hub import roles
from hub.models import District, Language, Partner, Person, Region, School
from hub.services import person_create, roles_ensure, site_ensure

DEMO_PASSWORD = "leap-demo-2026"

DEMO_EMAIL_DOMAIN = "demo.homevisithub.org"

_steps: list[tuple[int, str, Callable[[], str | None]]] = []


def demo_step(order: int):
    """Register a seeding step. The function returns a one-line summary (or None)."""

    def register(func):
        if all(existing is not func for _, _, existing in _steps):
            _steps.append((order, f"{func.__module__}.{func.__name__}", func))
        return func

    return register


def demo_steps():
    return [(name, func) for _, name, func in sorted(_steps, key=lambda step: (step[0], step[1]))]


_checks: list[Callable[[], None]] = []


def demo_check(func):
    """Register a check that `seed_demo` runs before its first step, e.g. that an app's content files
    are sound. The steps commit one by one, so a problem found only inside a later step would leave
    the earlier steps' rows behind; a check raises a `HubError` first, and nothing is written."""
    if func not in _checks:
        _checks.append(func)
    return func


def demo_checks():
    return list(_checks)


REGIONS = [
    ("aces", "ACES", "Area Cooperative Educational Services"),
    ("ces", "CES", "Cooperative Educational Services"),
    ("crec", "CREC", "Capitol Region Education Council"),
    ("eastconn", "EASTCONN", "EASTCONN"),
    ("edadvance", "EdAdvance", "EdAdvance"),
    ("learn", "LEARN", "LEARN"),
]

# District -> (region code, schools (name, grades)). The region mapping is DOMAIN.md's demo mapping.
DISTRICTS = {
    "Bridgeport": ("ces", [("Barnum Elementary School", "K-5"), ("Harding High School", "9-12")]),
    "CREC": ("crec", [("CREC Montessori Magnet School", "PK-6"), ("CREC Academy of Science and Innovation", "6-12")]),
    "Danbury": ("edadvance", [("Park Avenue Elementary School", "K-5"), ("Rogers Park Middle School", "6-8")]),
    "East Hartford": ("crec", [("Silver Lane Elementary School", "PK-5"), ("East Hartford Middle School", "6-8")]),
    "Hartford": ("crec", [("Burns Latino Studies Academy", "PK-8"), ("Parkville Community School", "PK-8"),
                          ("Bulkeley High School", "9-12")]),
    "Manchester": ("crec", [("Waddell Elementary School", "K-4"), ("Illing Middle School", "7-8")]),
    "Meriden": ("aces", [("Casimir Pulaski Elementary School", "PK-5"), ("Lincoln Middle School", "6-8")]),
    "New Britain": ("crec", [("Smalley Academy", "PK-5"), ("Slade Middle School", "6-8")]),
    "New Haven": ("aces", [("Fair Haven School", "K-8"), ("Clinton Avenue School", "K-8"),
                           ("Wilbur Cross High School", "9-12")]),
    "New London": ("learn", [("Harbor Elementary School", "K-5"), ("Bennie Dover Jackson Middle School", "6-8")]),
    "Norwich": ("learn", [("Greeneville Elementary School", "PK-5"), ("Kelly Middle School", "6-8")]),
    "Stamford": ("ces", [("Rogers International School", "K-8"), ("Stamford High School", "9-12")]),
    "Torrington": ("edadvance", [("Forbes Elementary School", "K-5"), ("Torrington Middle School", "6-8")]),
    "Waterbury": ("aces", [("Driggs Elementary School", "PK-5"), ("Wallace Middle School", "6-8"),
                           ("Crosby High School", "9-12")]),
    "Windham": ("eastconn", [("Natchaug Elementary School", "K-4"), ("Windham Middle School", "5-8")]),
}

PARTNERS = [
    ("Capitol Region Youth Service Bureau", Partner.Kind.YOUTH_SERVICE_BUREAU, ["Hartford", "East Hartford", "Manchester"]),
    ("Elm City Boys & Girls Club", Partner.Kind.BOYS_GIRLS_CLUB, ["New Haven", "Meriden"]),
    ("Park City Youth Service Bureau", Partner.Kind.YOUTH_SERVICE_BUREAU, ["Bridgeport", "Stamford"]),
    ("Brass City Family Services", Partner.Kind.COMMUNITY_AGENCY, ["Waterbury"]),
    ("Quinebaug Valley Family Resource Network", Partner.Kind.COMMUNITY_AGENCY, ["Windham", "Norwich", "New London"]),
    ("Connecticut Parent Advocacy Center", Partner.Kind.PARENT_ADVOCACY, []),
]

LANGUAGES = [
    ("en", "English"), ("es", "Spanish"), ("pt", "Portuguese"), ("ht", "Haitian Creole"), ("pl", "Polish"),
    ("ar", "Arabic"), ("bn", "Bengali"), ("vi", "Vietnamese"), ("sq", "Albanian"), ("ps", "Pashto"),
]


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    roles: tuple[str, ...]
    job_title: str
    district: str | None = None
    school: str | None = None
    partner: str | None = None
    region: str | None = None
    languages: tuple[str, ...] = ("en",)
    login_note: str = ""


PEOPLE = [
    DemoPerson("state", "Samira", "Okafor", (roles.STATE_STAFF,), "State LEAP program manager",
               login_note="state staff: every district, edits the site"),
    DemoPerson("regional", "Rita", "Kowalski", (roles.REGIONAL_STAFF,), "Regional attendance specialist",
               region="crec", languages=("en", "pl"), login_note="regional staff: CREC region"),
    DemoPerson("trainer", "Tomás", "Rivera", (roles.TRAINER, roles.COACH), "Hub trainer and coach",
               languages=("en", "es"), login_note="trainer and coach: writes courses, runs sessions, observes role plays"),
    DemoPerson("trainer2", "Grace", "Liu", (roles.TRAINER,), "Hub trainer (wellness)"),
    DemoPerson("coordinator", "Carla", "Mendes", (roles.COORDINATOR,), "District LEAP coordinator",
               district="Hartford", languages=("en", "pt"), login_note="coordinator: Hartford"),
    DemoPerson("coordinator.nh", "Dwayne", "Harris", (roles.COORDINATOR,), "District LEAP coordinator",
               district="New Haven", login_note="coordinator: New Haven"),
    DemoPerson("coordinator.bpt", "Mei", "Chen", (roles.COORDINATOR,), "District LEAP coordinator",
               district="Bridgeport"),
    DemoPerson("visitor", "Ana", "Ruiz", (roles.VISITOR,), "Grade 3 teacher", district="Hartford",
               school="Burns Latino Studies Academy", languages=("en", "es"), login_note="home visitor: Hartford teacher"),
    DemoPerson("marcus", "Marcus", "Bell", (roles.VISITOR,), "Family liaison", district="Hartford",
               school="Parkville Community School"),
    DemoPerson("dana", "Dana", "Whitfield", (roles.VISITOR,), "Youth worker", district="Hartford",
               partner="Capitol Region Youth Service Bureau", login_note="home visitor: community partner"),
    DemoPerson("luis", "Luis", "Ortega", (roles.VISITOR,), "School social worker", district="Hartford",
               school="Bulkeley High School", languages=("en", "es")),
    DemoPerson("fatima", "Fatima", "Haddad", (roles.VISITOR,), "Paraprofessional", district="Hartford",
               school="Burns Latino Studies Academy", languages=("en", "ar")),
    DemoPerson("jordan", "Jordan", "Price", (roles.VISITOR,), "Attendance counselor", district="New Haven",
               school="Fair Haven School"),
    DemoPerson("beatriz", "Beatriz", "Santos", (roles.VISITOR,), "Family engagement specialist",
               district="New Haven", school="Clinton Avenue School", languages=("en", "pt", "es")),
    DemoPerson("kevin", "Kevin", "Nguyen", (roles.VISITOR,), "Mentor", district="New Haven",
               partner="Elm City Boys & Girls Club", languages=("en", "vi")),
    DemoPerson("rosa", "Rosa", "Delgado", (roles.VISITOR,), "Grade 7 teacher", district="Bridgeport",
               school="Harding High School", languages=("en", "es")),
    DemoPerson("james", "James", "Okoro", (roles.VISITOR,), "School counselor", district="Bridgeport",
               school="Barnum Elementary School"),
    DemoPerson("nadia", "Nadia", "Haque", (roles.VISITOR,), "Youth worker", district="Waterbury",
               partner="Brass City Family Services", languages=("en", "bn")),
]


@demo_step(order=0)
def seed_organisations() -> str:
    """Regions, districts, schools, partners (with the districts they serve) and languages: whatever is
    missing is added, and regions take their names from REGIONS; nothing else that exists is changed. A
    dozen queries however much exists (every test that needs the organisations runs this)."""
    regions = {r.code: r for r in Region.objects.all()}
    for code, name, full in REGIONS:
        region = regions.get(code)
        if region is None:
            regions[code] = Region(code=code, name=name, full_name=full)
        elif (region.name, region.full_name) != (name, full):
            region.name, region.full_name = name, full
            region.save(update_fields=["name", "full_name", "updated_at"])
    Region.objects.bulk_create([r for r in regions.values() if r.pk is None])
    districts = {d.name: d for d in District.objects.all()}
    District.objects.bulk_create([
        District(name=name, slug=name.lower().replace(" ", "-"), region=regions[region_code], leap_since=2021)
        for name, (region_code, _schools) in DISTRICTS.items() if name not in districts])
    districts = {d.name: d for d in District.objects.filter(name__in=DISTRICTS)}
    schools = set(School.objects.filter(district__in=districts.values()).values_list("district_id", "name"))
    School.objects.bulk_create([
        School(district=districts[name], name=school_name, grades=grades)
        for name, (_region, listed) in DISTRICTS.items() for school_name, grades in listed
        if (districts[name].pk, school_name) not in schools])
    partners = {p.name: p for p in Partner.objects.filter(name__in=[name for name, _k, _d in PARTNERS])}
    Partner.objects.bulk_create([Partner(name=name, kind=kind) for name, kind, _d in PARTNERS if name not in partners])
    partners = {p.name: p for p in Partner.objects.filter(name__in=[name for name, _k, _d in PARTNERS])}
    Partner.districts.through.objects.bulk_create([
        Partner.districts.through(partner_id=partners[name].pk, district_id=districts[d].pk)
        for name, _kind, served in PARTNERS for d in served if d in districts], ignore_conflicts=True)
    languages = set(Language.objects.values_list("code", flat=True))
    Language.objects.bulk_create([Language(code=code, name=name) for code, name in LANGUAGES if code not in languages])
    return f"{Region.objects.count()} regions, {District.objects.count()} districts, " \
           f"{School.objects.count()} schools, {Partner.objects.count()} partners"


@demo_step(order=1)
def seed_site_and_people() -> str:
    site_ensure()
    roles_ensure()
    created = 0
    for spec in PEOPLE:
        if Person.objects.filter(user__username=spec.username).exists():
            continue
        district = District.objects.get(name=spec.district) if spec.district else None
        person_create(
            username=spec.username,
            email=f"{spec.username}@{DEMO_EMAIL_DOMAIN}",
            first_name=spec.first_name,
            last_name=spec.last_name,
            password=DEMO_PASSWORD,
            roles=spec.roles,
            home_district=district,
            region=Region.objects.get(code=spec.region) if spec.region else None,
            school=School.objects.get(district=district, name=spec.school) if spec.school else None,
            partner=Partner.objects.get(name=spec.partner) if spec.partner else None,
            languages=tuple(Language.objects.filter(code__in=spec.languages)),
            job_title=spec.job_title,
        )
        created += 1
    return f"{created} people created ({Person.objects.count()} in all)"


_login_sources: list[Callable[[], list[tuple[str, str, str]]]] = []


def demo_login_source(func):
    """Register more demo logins (another app's demo accounts, e.g. the approved learner): `func()` returns
    (username, password, what the login shows) rows, printed after the people's."""
    if func not in _login_sources:
        _login_sources.append(func)
    return func


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, password, what the login shows) for the README and `make run` (after the apps' demo
    modules are imported: `seed_demo` does that)."""
    people = [(p.username, DEMO_PASSWORD, p.login_note) for p in PEOPLE if p.login_note]
    return people + [login for source in _login_sources for login in source()]

