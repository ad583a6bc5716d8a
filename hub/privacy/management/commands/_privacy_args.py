"""Arguments shared by export_person_data and erase_person_data."""


def add_subject_arguments(parser) -> None:
    parser.add_argument("--username", default="", help="An account (visitor, coordinator, trainer, staff).")
    parser.add_argument("--email", default="", help="A family: the email it signed up for roundtables with.")
    parser.add_argument("--phone", default="", help="A family: the phone it signed up with (any US format).")
    parser.add_argument("--student", default=None, help="A student: the case number (coordinators' case page).")
    parser.add_argument("--operator", default="",
                        help="Required: who asked for this (name, and a ticket number if there is one). "
                             "Written to the privacy audit (privacy.PrivacyRequest).")
