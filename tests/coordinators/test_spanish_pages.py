"""The case and visit pages for a reader who chose Spanish (the `django_language` cookie): a visitor's
My cases, the visit form with its choices and errors, the case page; a coordinator's case list, case
form, assignment and family's answer. English readers keep the English pages (the other tests)."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coordinators.models import Visit

pytestmark = pytest.mark.django_db


def spanish(client, person):
    client.force_login(person.user)
    client.cookies["django_language"] = "es"
    return client


def visit_post(**overrides):
    values = {"visited_on": timezone.localdate().isoformat(), "kind": "visit", "place": "home",
              "wants_more": "yes", "next_step": "Llamar el viernes"}
    values.update(overrides)
    return values


def test_the_visit_form_has_its_labels_and_choices_in_spanish(client, assigned, marcus):
    body = spanish(client, marcus).get(reverse("coordinators:visit_new", args=[assigned.pk])).content.decode()
    assert "Registrar una visita: Jaylen R." in body and "Volver al caso" in body
    for label in ("Fecha", "Tipo de contacto", "Dónde", "Visitadores que fueron", "Familiares presentes",
                  "Obstáculos para la asistencia que mencionó la familia", "¿La familia quiere más visitas?",
                  "Próximo paso", "Notas privadas", "Solo las ven los visitadores y coordinadores del caso."):
        assert label in body, label
    for choice in ("Visita al hogar", "Llamada de seguimiento", "Intento de visita: la familia no estaba en casa",
                   "En casa", "Lugar de la comunidad", "Teléfono", "Sí", "Todavía no lo sabe"):
        assert choice in body, choice
    assert "(obligatorio)" in body and ">Registrar la visita</button>" in body
    assert "Kind of contact" not in body and "Home visit" not in body and "Log the visit" not in body


def test_a_visit_dated_in_the_future_is_refused_in_spanish(client, assigned, marcus):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = spanish(client, marcus).post(reverse("coordinators:visit_new", args=[assigned.pk]),
                                            visit_post(visited_on=tomorrow))
    assert response.status_code == 400
    body = response.content.decode()
    assert "La fecha es futura." in body and "The date is in the future." not in body
    assert not Visit.objects.exists()


def test_a_missing_answer_is_named_in_spanish(client, assigned, marcus):
    response = spanish(client, marcus).post(reverse("coordinators:visit_new", args=[assigned.pk]),
                                            visit_post(wants_more=""))
    assert response.status_code == 400
    assert "Este campo es necesario." in response.content.decode()


def test_a_logged_visit_reads_in_spanish_on_the_case_page(client, assigned, marcus):
    spanish(client, marcus)
    response = client.post(reverse("coordinators:visit_new", args=[assigned.pk]), visit_post(), follow=True)
    body = response.content.decode()
    assert "Se registró la visita n.º 1." in body
    for heading in ("Lo que compartió la escuela", "La decisión de la familia", "Visitadores", "Visitas",
                    "Asistencia", "Volver a mis casos"):
        assert f">{heading}<" in body, heading
    assert "Escuela y grado" in body and "Parkville Community School, grado 3" in body
    assert "ausente 9 de 60 días (15,0%):" in body and "<strong>Ausentismo crónico</strong>" in body
    assert "<dd>Visitado</dd>" in body  # the case's status
    assert "Visita n.º 1: Visita al hogar" in body and "<dd>En casa</dd>" in body and "<dd>Sí</dd>" in body
    assert "Modificar la visita n.º 1" in body
    assert "What the school shared" not in body and "Visit #1" not in body


def test_my_cases_reads_in_spanish(client, assigned, marcus):
    spanish(client, marcus)
    client.post(reverse("coordinators:visit_new", args=[assigned.pk]), visit_post())
    body = client.get(reverse("coordinators:my_cases")).content.decode()
    assert "<h1>Mis casos</h1>" in body
    assert "Parkville Community School, grado 3 · habla Spanish" in body
    assert "Ausente el 15,0% de los días (Ausentismo crónico)." in body
    assert "1 contacto registrado, el último el" in body and "Próximo paso: Llamar el viernes" in body
    assert ">Registrar una visita<" in body
    assert "My cases" not in body and "contact logged" not in body


def test_a_visitor_without_cases_is_told_so_in_spanish(client, marcus):
    body = spanish(client, marcus).get(reverse("coordinators:my_cases")).content.decode()
    assert "Todavía no tiene casos asignados." in body


def test_the_coordinators_case_page_offers_its_forms_in_spanish(client, case, coordinator):
    body = spanish(client, coordinator).get(reverse("coordinators:case_detail", args=[case.pk])).content.decode()
    assert "La respuesta de la familia" in body and "Nota (opcional)" in body and "Registrar la respuesta" in body
    assert "La familia dijo que sí" in body  # the family's answer, a choice label
    assert "Primer visitador" in body and "Segundo visitador" in body and "Elija un visitador" in body
    assert "Hartford envía a los visitadores en pareja." in body and ">Asignar</button>" in body
    assert 'aria-label="Páginas de coordinación"' in body and ">Casos</a>" in body


def test_the_family_answer_and_assignment_are_confirmed_in_spanish(client, case, coordinator, marcus, luis):
    spanish(client, coordinator)
    body = client.post(reverse("coordinators:case_choice", args=[case.pk]), {"kind": "accepted"},
                       follow=True).content.decode()
    assert "Se registró la respuesta de la familia." in body
    body = client.post(reverse("coordinators:case_assign", args=[case.pk]),
                       {"visitor_1": marcus.pk, "visitor_2": luis.pk}, follow=True).content.decode()
    assert "Visitadores asignados: Marcus Bell y Luis Ortega." in body
    assert "Asignado a <strong>Marcus Bell</strong> y <strong>Luis Ortega</strong> el" in body


def test_the_case_list_and_the_case_form_read_in_spanish(client, case, coordinator, school):
    spanish(client, coordinator)
    body = client.get(reverse("coordinators:case_list")).content.decode()
    assert "<h1>Casos de estudiantes</h1>" in body and "Agregar un caso" in body
    assert "Número de estudiante o nombre" in body and "Cualquier estado" in body and "La familia dijo que sí" in body
    body = client.get(reverse("coordinators:case_new")).content.decode()
    assert "Agregar un caso de estudiante en Hartford" in body and "Inicial del apellido" in body
    assert "Días de ausencia" in body and "Mes de la derivación" in body and ">Agregar el caso</button>" in body
    response = client.post(reverse("coordinators:case_new"), {
        "student_ref": "H-200", "first_name": "Maya", "last_initial": "L", "grade": "4", "school": school.pk,
        "days_enrolled": 20, "days_absent": 30})
    assert response.status_code == 400
    assert "Los días de ausencia deben estar entre 0 y los días de matrícula." in response.content.decode()


def test_the_case_csv_keeps_its_status_in_english_for_a_spanish_reader(client, case, coordinator):
    response = spanish(client, coordinator).get(reverse("coordinators:case_export"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][-1] == "Family said yes"


def test_the_coordinators_other_pages_read_in_spanish(client, assigned, coordinator, marcus):
    spanish(client, coordinator)
    pages = {
        "coordinators:roster": ("<h1>Quién está capacitado</h1>", "Ordenar por", "Puede tomar casos ahora"),
        "coordinators:dashboard": ("Casos por estado", "Visitas por lugar", "Cambio promedio (puntos)"),
        "coordinators:case_import": ("Importar casos de estudiantes de Hartford", "Archivo CSV"),
        "coordinators:attendance_import": ("Importar la asistencia mensual de Hartford",),
        "coordinators:audit": ("<h1>Registro de auditoría</h1>", "Quién"),
    }
    for name, texts in pages.items():
        body = client.get(reverse(name)).content.decode()
        for text in texts:
            assert text in body, (name, text)
    body = client.get(reverse("coordinators:roster_person", args=[marcus.pk])).content.decode()
    assert "<dt>Puesto</dt>" in body and "Volver a quién está capacitado" in body
