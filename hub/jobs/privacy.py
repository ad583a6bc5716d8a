"""What jobs hold (registered into hub.privacy from JobsConfig.ready()): a person's own imports and
exports, with row errors that may name students or staff, kept JOB_RESULT_DAYS then purged. Erasing the
person removes their jobs and files (the imported data itself belongs to the district's records)."""

from hub.privacy.registry import PERSON, custom, holding_register

FIELDS = [("What", "kind"), ("State", "state"), ("Started", "created_at"), ("File", "input_name"),
          ("Outcome", "summary")]


def _of_person(subject):
    from hub.jobs.models import Job

    return Job.objects.filter(owner=subject.user)


def _erase(jobs, subject, now) -> int:
    """delete the person's jobs and their files"""
    count = 0
    for job in jobs:
        count += 1
        for field in (job.input_file, job.result_file):
            if field.name:
                field.storage.delete(field.name)
    jobs.delete()
    return count


holding_register("jobs.Job", subject=PERSON, find=_of_person, covers=("owner",), fields=FIELDS,
                 section="Your imports and exports", erase=custom(_erase),
                 reason="Your own imports and exports: removed with their files.")
