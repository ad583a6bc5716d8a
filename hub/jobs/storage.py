"""Where jobs keep their files: the uploaded input and the finished result, in a private folder
(PRIVATE_MEDIA_ROOT/jobs, outside MEDIA_ROOT: no URL reaches it). They are served only by
`hub.jobs.views.job_download`, to the job's owner. Stored names are the Hub's one rule
(`hub.storage.SafeNameStorage`), though the fields' `upload_to` already names every file by a uuid."""

from django.conf import settings

from hub.storage import SafeNameStorage


class JobStorage(SafeNameStorage):
    def __init__(self):
        super().__init__(location=str(settings.PRIVATE_MEDIA_ROOT / "jobs"), base_url=None)

    def url(self, name):  # never a public URL
        raise NotImplementedError("job files are served by hub.jobs.views.job_download only")


def job_storage() -> JobStorage:
    """Callable for FileField(storage=...): migrations keep the name, not a path of this machine."""
    return JobStorage()
