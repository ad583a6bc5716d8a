"""Prioritisation (issue 16): the district need index for state and regional staff, from the district data
file. A ranking computed by hand, weights that change it, each input's points and how it moved the rank;
every class of bad row (line and column, nothing applied, the figures held before unchanged); files that
are not CSV; who may see what; queries that do not grow with the number of districts."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from coordinators import selectors, services
from coordinators.errors import NotAllowed
from coordinators.models import DistrictNeedFigures
from coordinators.selectors.need import current_school_year
from hub.audit.models import AuditEntry
from hub.roles import COORDINATOR, REGIONAL_STAFF, STATE_STAFF, VISITOR

YEAR = 2025
HEADER = "district,enrollment,attendance_rate,frl_share,english_learner_share,remote_share\n"
# Three districts whose scaled inputs are easy to work out by hand (min-max across the three):
#               attendance (low=need)  frl   EL    remote        enrollment
#   Hartford    80 -> 1                60->0 10->0  0 -> 0        1000 -> 0
#   New Haven   90 -> 0                80->1 30->1 10 -> 2/3      3000 -> 1
#   Windham     85 -> 0.5              70->.5 20->.5 15 -> 1      2000 -> 0.5
THREE = HEADER + ("hartford,1000,80,60,10,0\n"
                  "new-haven,3000,90,80,30,10\n"
                  "windham,2000,85,70,20,15\n")


def upload(text: str | bytes, name="districts.csv"):
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text, content_type="text/csv")


@pytest.fixture
def state(make_person, orgs):
    return make_person("samira", roles=[STATE_STAFF])


@pytest.fixture
def three(state):
    result = services.need_figures_import(file=upload(THREE), school_year=YEAR, by=state.user)
    assert result.applied and result.created == 3, result.errors
    return result


def _index(weights=None, ids=None):
    return selectors.need_index(district_ids=ids, year=YEAR, weights=weights)


def _points(index, name):
    row = next(r for r in index.rows if r.name == name)
    return {s.key: round(s.points, 2) for s in row.inputs}


# -- the ranking, by hand ---------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_default_weights_give_the_ranking_computed_by_hand(three):
    """Defaults 40/20/15/10/15 (total 100): New Haven 20+15+6.67+15 = 56.67, Windham 20+10+7.5+10+7.5 =
    55, Hartford 40."""
    index = _index()
    assert [(r.rank, r.name, round(r.index, 2)) for r in index.rows] == [
        (1, "New Haven", 56.67), (2, "Windham", 55.0), (3, "Hartford", 40.0)]
    assert _points(index, "New Haven") == {"attendance_rate": 0.0, "frl_share": 20.0, "english_learner_share": 15.0,
                                           "remote_share": 6.67, "enrollment": 15.0}
    assert _points(index, "Windham") == {"attendance_rate": 20.0, "frl_share": 10.0, "english_learner_share": 7.5,
                                         "remote_share": 10.0, "enrollment": 7.5}
    assert _points(index, "Hartford") == {"attendance_rate": 40.0, "frl_share": 0.0, "english_learner_share": 0.0,
                                          "remote_share": 0.0, "enrollment": 0.0}
    for row in index.rows:  # the points add up to the index
        assert sum(s.points for s in row.inputs) == pytest.approx(row.index)


@pytest.mark.django_db
def test_raising_the_attendance_weight_changes_the_ranking_as_computed_by_hand(three):
    """Attendance 80 (total 140): Hartford 8000/140 = 57.14, Windham 100·(40+10+7.5+10+7.5)/140 = 53.57,
    New Haven 100·56.67/140 = 40.48."""
    index = _index({**selectors.need.DEFAULT_WEIGHTS, "attendance_rate": Decimal(80)})
    assert [(r.rank, r.name, round(r.index, 2)) for r in index.rows] == [
        (1, "Hartford", 57.14), (2, "Windham", 53.57), (3, "New Haven", 40.48)]
    assert _points(index, "Hartford")["attendance_rate"] == 57.14
    only_attendance = _index({k: Decimal(0) for k in selectors.need.INPUT_KEYS} | {"attendance_rate": Decimal(1)})
    assert [(r.name, round(r.index, 2)) for r in only_attendance.rows] == [
        ("Hartford", 100.0), ("Windham", 50.0), ("New Haven", 0.0)]


@pytest.mark.django_db
def test_each_inputs_move_is_the_rank_without_it(three):
    """Without the lunch share (total 80): Windham 45/80 = 56.25, Hartford 40/80 = 50, New Haven
    36.67/80 = 45.83. So the lunch share moved New Haven up 2 places and Windham and Hartford down 1."""
    index = _index()
    moves = {r.name: {m["key"]: (m["rank_without"], m["moved"]) for m in r.moves} for r in index.rows}
    assert moves["New Haven"]["frl_share"] == (3, 2)
    assert moves["Windham"]["frl_share"] == (1, -1)
    assert moves["Hartford"]["frl_share"] == (2, -1)
    # Without attendance (total 60): New Haven 94.4, Windham 58.3, Hartford 0: the same order, no move.
    assert {name: m["attendance_rate"] for name, m in moves.items()} == {
        "New Haven": (1, 0), "Windham": (2, 0), "Hartford": (3, 0)}


@pytest.mark.django_db
def test_equal_districts_share_a_rank_and_an_input_with_no_spread_counts_for_nothing(state, orgs):
    services.need_figures_import(file=upload(HEADER + "hartford,1000,80,50,10,5\nwindham,1000,80,50,10,5\n"),
                                 school_year=YEAR, by=state.user)
    index = _index()
    assert [r.rank for r in index.rows] == [1, 1]
    assert all(r.index == 0 for r in index.rows)


@pytest.mark.django_db
def test_weights_that_add_up_to_zero_are_refused_by_the_selector(three):
    with pytest.raises(ValueError):
        _index({k: Decimal(0) for k in selectors.need.INPUT_KEYS})


# -- the page ---------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_page_shows_the_method_the_weights_the_chart_and_its_tables(client, state, three):
    client.force_login(state.user)
    response = client.get(reverse("coordinators:need_index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "min–max" in html and "higher = more need" in html
    assert 'id="need-ranking"' in html and 'id="need-moves"' in html and 'class="need-svg"' in html
    assert html.index('data-district="new-haven"') < html.index('data-district="windham"') < html.index(
        'data-district="hartford"')
    assert 'name="w_attendance_rate"' in html and 'value="40"' in html
    assert "moved it up 2 places" in html
    assert "(80%)" in html and "(3,000)" in html and "80% – 90%" in html  # the figures as people write them
    assert "No figures for this school year: Bridgeport, CREC, Danbury" in html  # the 12 others, named
    assert reverse("coordinators:need_export") in html and reverse("coordinators:need_upload") in html


@pytest.mark.django_db
def test_changing_a_weight_on_the_page_changes_the_ranking(client, state, three):
    client.force_login(state.user)
    html = client.get(reverse("coordinators:need_index"), {"w_attendance_rate": "80"}).content.decode()
    assert html.index('data-district="hartford"') < html.index('data-district="windham"') < html.index(
        'data-district="new-haven"')
    assert 'value="80"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "message"), [
    ({"w_frl_share": "abc"}, "Write a number from 0 to 100"),
    ({"w_frl_share": "-5"}, "Write a number from 0 to 100"),
    ({"w_frl_share": "101"}, "A weight is at most 100"),
    ({"w_frl_share": "1e3"}, "Write a number from 0 to 100"),
    ({f"w_{k}": "0" for k in ("attendance_rate", "frl_share", "english_learner_share", "remote_share",
                              "enrollment")}, "The weights add up to 0"),
    ({"year": "1999"}, "School year"),
])
def test_a_bad_weight_is_named_on_the_page_with_its_reason(client, state, three, query, message):
    client.force_login(state.user)
    response = client.get(reverse("coordinators:need_index"), query)
    html = response.content.decode()
    assert response.status_code == 400 and message in html and "data-bad-query" in html
    assert 'id="need-ranking"' not in html  # no ranking until the weights are corrected
    export = client.get(reverse("coordinators:need_export"), query)
    assert export.status_code == 400


@pytest.mark.django_db
def test_the_csv_holds_the_pages_ranking_with_a_bom_and_is_audited(client, state, three):
    client.force_login(state.user)
    response = client.get(reverse("coordinators:need_export"), {"w_attendance_rate": "80"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:5] == ["Rank", "District", "District code", "Region", "Need index (points)"]
    assert [(r[0], r[1], r[4]) for r in rows[1:]] == [("1", "Hartford", "57.1"), ("2", "Windham", "53.6"),
                                                      ("3", "New Haven", "40.5")]
    entry = AuditEntry.objects.get(action="need.export")
    assert "w_attendance_rate" not in entry.detail and "attendance_rate=80" in entry.detail


@pytest.mark.django_db
def test_the_page_without_figures_says_so_and_links_the_upload(client, state):
    client.force_login(state.user)
    html = client.get(reverse("coordinators:need_index")).content.decode()
    assert "No district figures yet." in html and reverse("coordinators:need_upload") in html


@pytest.mark.django_db
def test_the_page_costs_the_same_number_of_queries_for_3_or_15_districts(client, state, three, orgs):
    client.force_login(state.user)
    client.get(reverse("coordinators:need_index"))  # the first page makes the person's Wagtail profile
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("coordinators:need_index")).status_code == 200
    lines = [HEADER.strip()] + [f"{d.slug},{1000 + 100 * n},{80 + n % 10},{40 + n},{n},{n % 7}"
                                for n, d in enumerate(orgs.values())]
    assert services.need_figures_import(file=upload("\n".join(lines) + "\n"), school_year=YEAR,
                                        by=state.user).applied
    with CaptureQueriesContext(connection) as large:
        html = client.get(reverse("coordinators:need_index")).content.decode()
    assert html.count('<tr data-district=') == 2 * len(orgs)
    assert len(small) == len(large) <= 20, "\n".join(q["sql"][:150] for q in large.captured_queries)


# -- who sees what ----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_regional_staff_see_their_regions_districts_and_another_region_is_a_404_audited(client, orgs, three,
                                                                                       make_person):
    hartford, new_haven = orgs["Hartford"], orgs["New Haven"]
    rita = make_person("rita", roles=[REGIONAL_STAFF], region=hartford.region)
    client.force_login(rita.user)
    html = client.get(reverse("coordinators:need_index")).content.decode()
    assert 'data-district="hartford"' in html and 'data-district="new-haven"' not in html
    assert hartford.region.name in html
    for scope in (f"region:{new_haven.region_id}", "state"):
        for name in ("coordinators:need_index", "coordinators:need_export"):
            before = AuditEntry.objects.filter(action="need.denied").count()
            assert client.get(reverse(name), {"scope": scope}).status_code == 404
            assert AuditEntry.objects.filter(action="need.denied").count() == before + 1
    assert client.get(reverse("coordinators:need_upload")).status_code == 403
    # Hartford is scaled across the state: the same index for the regional reader and the state.
    assert (next(r.index for r in _index(ids=[hartford.pk]).rows)
            == next(r.index for r in _index().rows if r.name == "Hartford"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", [COORDINATOR, VISITOR])
def test_coordinators_and_visitors_may_not_open_the_need_pages(client, orgs, make_person, three, role):
    person = make_person("carla", roles=[role], home_district=orgs["Hartford"])
    client.force_login(person.user)
    for name in ("need_index", "need_export", "need_upload", "need_template", "need_example"):
        assert client.get(reverse(f"coordinators:{name}")).status_code == 403, name
    before = DistrictNeedFigures.objects.count()
    response = client.post(reverse("coordinators:need_upload"), {"school_year": YEAR, "file": upload(THREE)})
    assert response.status_code == 403 and DistrictNeedFigures.objects.count() == before
    with pytest.raises(NotAllowed):
        services.need_figures_import(file=upload(THREE), school_year=YEAR, by=person.user)


@pytest.mark.django_db
def test_state_staff_see_the_need_link_in_their_navigation(client, state, orgs, make_person):
    client.force_login(state.user)
    assert 'href="/coordinators/need/"' in client.get(reverse("coordinators:impact")).content.decode()
    carla = make_person("carla", roles=[COORDINATOR], home_district=orgs["Hartford"])
    client.force_login(carla.user)
    assert 'href="/coordinators/need/"' not in client.get(reverse("coordinators:impact")).content.decode()


# -- the district data file -------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_upload_page_imports_a_good_file_and_shows_its_ranking(client, state, orgs):
    client.force_login(state.user)
    response = client.post(reverse("coordinators:need_upload"), {"school_year": YEAR, "file": upload(THREE)},
                           follow=True)
    assert response.status_code == 200 and "3 added" in response.content.decode()
    assert 'data-district="new-haven"' in response.content.decode()
    assert AuditEntry.objects.filter(action="need.import", object_id=str(YEAR)).count() == 1
    again = services.need_figures_import(file=upload(THREE), school_year=YEAR, by=state.user)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


@pytest.mark.django_db
def test_a_corrected_file_replaces_that_years_figures_and_keeps_other_districts(state, three):
    result = services.need_figures_import(file=upload(HEADER + "hartford,1100,81.255,61%,10,0\n"),
                                          school_year=YEAR, by=state.user)
    assert (result.created, result.updated) == (0, 1)
    hartford = DistrictNeedFigures.objects.get(district__slug="hartford", school_year=YEAR)
    assert (hartford.enrollment, hartford.attendance_rate, hartford.frl_share) == (1100, Decimal("81.26"),
                                                                                   Decimal("61.00"))
    assert DistrictNeedFigures.objects.filter(school_year=YEAR).count() == 3


@pytest.mark.django_db
def test_an_import_costs_the_same_number_of_queries_for_3_or_15_districts(state, orgs):
    def figures(districts, enrollment):
        return HEADER + "".join(f"{d.slug},{enrollment},80,50,10,5\n" for d in districts)

    assert selectors.may_upload_need_figures(state.user)  # reads the roles once (kept on the user)
    counts = []
    for districts in (list(orgs.values())[:3], list(orgs.values())):
        for enrollment in (1000, 2000):  # adding, then updating
            with CaptureQueriesContext(connection) as queries:
                result = services.need_figures_import(file=upload(figures(districts, enrollment)),
                                                      school_year=YEAR + len(districts), by=state.user)
            assert result.applied
            counts.append(len(queries))
    assert counts[0] == counts[2] <= 6 and counts[1] == counts[3] <= 6, counts


BAD_ROWS = [
    ("unknown-district", "atlantis,1000,80,60,10,0", "district", "no district has the code 'atlantis'"),
    ("duplicate-district", "new-haven,1000,80,60,10,0", "district", "appears again (first on line 3)"),
    ("blank-district", ",1000,80,60,10,0", "district", "the district code is missing"),
    ("blank-value", "windham,2000,,70,20,15", "attendance_rate", "the value is missing"),
    ("not-a-number", "windham,2000,eighty,70,20,15", "attendance_rate", "is not a number"),
    ("rate-over-100", "windham,2000,85,104,20,15", "frl_share", "must be between 0 and 100"),
    ("rate-below-0", "windham,2000,85,70,-3,15", "english_learner_share", "must be between 0 and 100"),
    ("enrollment-negative", "windham,-20,85,70,20,15", "enrollment", "cannot be negative"),
    ("enrollment-fraction", "windham,20.5,85,70,20,15", "enrollment", "is not a whole number"),
    ("formula", "windham,2000,=1+1,70,20,15", "attendance_rate", "is not a number"),
    ("too-few-cells", "windham,2000,85", "", "3 cells where the header has 6"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "column", "message"), [pytest.param(r, c, m, id=i) for i, r, c, m in BAD_ROWS])
def test_a_bad_row_is_reported_with_its_line_and_column_and_nothing_is_applied(client, state, three, row,
                                                                               column, message):
    """Line 2 is a good change (Hartford's enrollment), line 3 New Haven's, line 4 the bad row: the good
    lines are not applied either, and the figures held before stay."""
    before = list(DistrictNeedFigures.objects.order_by("pk").values())
    text = HEADER + "hartford,9999,80,60,10,0\nnew-haven,3000,90,80,30,10\n" + row + "\n"
    result = services.need_figures_import(file=upload(text), school_year=YEAR, by=state.user)
    assert not result.applied
    assert [(e.line, e.column) for e in result.errors] == [(4, column)]
    assert message in result.errors[0].message
    assert list(DistrictNeedFigures.objects.order_by("pk").values()) == before
    client.force_login(state.user)
    response = client.post(reverse("coordinators:need_upload"), {"school_year": YEAR, "file": upload(text)})
    html = response.content.decode()
    assert response.status_code == 400 and "Nothing was imported" in html and "<td data-line>4</td>" in html
    assert list(DistrictNeedFigures.objects.order_by("pk").values()) == before
    assert not AuditEntry.objects.filter(action="need.import", detail__contains="9999").exists()


@pytest.mark.django_db
def test_every_bad_row_of_a_file_is_listed_at_once(state, three):
    text = HEADER + "atlantis,1,80,60,10,0\nwindham,2000,85,170,,15\nhartford,5,5,5,5,5\n"
    result = services.need_figures_import(file=upload(text), school_year=YEAR, by=state.user)
    assert [(e.line, e.column) for e in result.errors] == [
        (2, "district"), (3, "frl_share"), (3, "english_learner_share")]
    assert DistrictNeedFigures.objects.get(district__slug="hartford").enrollment == 1000


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "message"), [
    pytest.param("name,age\nRosa,9\n", "The columns are wrong (missing district", id="wrong-columns"),
    pytest.param(HEADER.replace("remote_share", "remote") + "hartford,1,80,60,10,0\n", "missing remote_share",
                 id="a-column-misnamed"),
    pytest.param(HEADER.strip() + ",extra\nhartford,1,80,60,10,0,x\n", "The columns are wrong (unexpected", id="extra-column"),
    pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "not UTF-8", id="binary"),
    pytest.param(HEADER.encode("utf-16"), "not UTF-8", id="utf16"),
    pytest.param("district,enrollment\n".encode("latin-1") + "hartford,1\xe9\n".encode("latin-1"), "not UTF-8",
                 id="latin-1"),
    pytest.param(b"", "The submitted file is empty", id="empty"),
    pytest.param(HEADER, "no rows under its header", id="header-only"),
])
def test_a_file_refused_whole_says_why_and_changes_nothing(client, state, three, content, message):
    before = list(DistrictNeedFigures.objects.order_by("pk").values())
    client.force_login(state.user)
    response = client.post(reverse("coordinators:need_upload"), {"school_year": YEAR, "file": upload(content)})
    assert response.status_code == 400 and message in response.content.decode()
    assert list(DistrictNeedFigures.objects.order_by("pk").values()) == before


@pytest.mark.django_db
def test_the_row_errors_are_in_the_readers_language(state, three):
    with translation.override("es"):
        result = services.need_figures_import(file=upload(HEADER + "windham,2000,85,104,20,15\n"),
                                              school_year=YEAR, by=state.user)
        wrong = services.need_figures_import(file=upload("name,age\n"), school_year=YEAR, by=state.user)
    assert "entre 0 y 100" in result.errors[0].message
    assert "Las columnas no son correctas" in wrong.fatal


@pytest.mark.django_db
def test_the_database_refuses_an_impossible_rate_whatever_the_path(orgs):
    from django.db import IntegrityError, transaction

    for field, value in [("frl_share", Decimal("100.5")), ("attendance_rate", Decimal(-1))]:
        values = {"enrollment": 1, "attendance_rate": 90, "frl_share": 10, "english_learner_share": 1,
                  "remote_share": 1, field: value}
        with pytest.raises(IntegrityError), transaction.atomic():
            DistrictNeedFigures.objects.create(district=orgs["Hartford"], school_year=YEAR, **values)


@pytest.mark.django_db
def test_the_template_and_the_example_file_download_and_the_example_imports(client, state, orgs):
    client.force_login(state.user)
    template = b"".join(client.get(reverse("coordinators:need_template")).streaming_content).decode()
    rows = list(csv.reader(io.StringIO(template.lstrip("\ufeff"))))
    assert rows[0] == [*selectors.NEED_FILE_COLUMNS, "district_name"]
    assert ["hartford", "", "", "", "", "", "Hartford"] in rows and len(rows) == 1 + len(orgs)
    example = b"".join(client.get(reverse("coordinators:need_example")).streaming_content)
    result = services.need_figures_import(file=upload(example), school_year=YEAR, by=state.user)
    assert result.applied and result.created == len(orgs)
    # The template as downloaded (figures empty) is refused, row by row.
    blank = services.need_figures_import(file=upload(template.encode()), school_year=YEAR + 1, by=state.user)
    assert not blank.applied and {e.message for e in blank.errors} == {"the value is missing."}


@pytest.mark.django_db
def test_the_upload_form_defaults_to_this_school_year_and_refuses_another(client, state, orgs):
    client.force_login(state.user)
    html = client.get(reverse("coordinators:need_upload")).content.decode()
    assert f'<option value="{current_school_year()}" selected>' in html
    response = client.post(reverse("coordinators:need_upload"), {"school_year": "1850", "file": upload(THREE)})
    assert response.status_code == 400 and not DistrictNeedFigures.objects.exists()
