"""Private django-filer files (is_public off) reach only their owner, people with read permission on
their folder, and superusers; they are stored outside MEDIA_ROOT, so no /media/ address reaches them."""

import types
from pathlib import Path

import pytest
from django.conf.urls.static import static
from django.core.files.base import ContentFile
from filer.models import File, Folder, FolderPermission

from hub.roles import COORDINATOR, TRAINER, VISITOR

pytestmark = pytest.mark.django_db

SECRET = b"%PDF-1.7\nMinutes of the case review: private.\n%%EOF\n"


@pytest.fixture
def private_file(orgs, make_person):
    owner = make_person("tomas", roles=[TRAINER]).user
    folder = Folder.objects.create(name="Case reviews", owner=owner)
    stored = File.objects.create(owner=owner, folder=folder, is_public=False, name="Case review",
                                 original_filename="review.pdf", file=ContentFile(SECRET, "review.pdf"))
    yield stored
    stored.file.storage.delete(stored.file.name)  # the private root is outside the per-test MEDIA_ROOT


@pytest.fixture
def reader(orgs, make_person, private_file):
    user = make_person("carla", roles=[COORDINATOR], home_district=orgs["Hartford"]).user
    FolderPermission.objects.create(folder=private_file.folder, user=user, type=FolderPermission.THIS,
                                    can_read=FolderPermission.ALLOW)
    return user


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_private_file_is_served_only_to_its_owner_and_readers(client, orgs, private_file, reader, make_person,
                                                                  django_user_model):
    url = private_file.url
    assert url.startswith("/smedia/filer_private/")

    assert client.get(url).status_code in (403, 404)  # anonymous

    client.force_login(make_person("ana", roles=[VISITOR]).user)  # signed in, no folder permission
    assert client.get(url).status_code in (403, 404)
    client.force_login(make_person("dwayne", roles=[COORDINATOR], home_district=orgs["New Haven"]).user)
    assert client.get(url).status_code in (403, 404)

    for user in (private_file.owner, reader,
                 django_user_model.objects.create_superuser("root", "root@example.org", "a-long-password-1")):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user.username
        assert _body(response) == SECRET


def test_a_private_file_is_stored_outside_media_root(private_file, settings):
    path = Path(private_file.file.path).resolve()
    assert path.read_bytes() == SECRET
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())


def test_no_media_address_reaches_a_private_file_even_with_debug_on(client, private_file, settings):
    """With DEBUG on, hub.urls adds Django's media view for MEDIA_ROOT; guessed paths stay 404."""
    import hub.urls

    settings.DEBUG = True
    urlconf = types.ModuleType("debug_urls")
    urlconf.urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + hub.urls.urlpatterns
    urlconf.handler404 = hub.urls.handler404
    settings.ROOT_URLCONF = urlconf
    name = private_file.file.name  # relative to the private storage
    public = File.objects.create(owner=private_file.owner, file=ContentFile(b"%PDF-1.7 public", "open.pdf"),
                                 original_filename="open.pdf", is_public=True)
    assert client.get(public.url).status_code == 200  # the media view is really there

    for guess in (f"/media/{name}", f"/media/filer_private/{name}", f"/media/../smedia/filer_private/{name}",
                  f"/media/%2e%2e/smedia/filer_private/{name}", f"/media/..%2fsmedia/filer_private/{name}"):
        response = client.get(guess)
        assert response.status_code in (400, 404), guess  # 400: Django's path-traversal guard
        assert SECRET not in _body(response), guess
    assert client.get(private_file.url).status_code in (403, 404)  # and the real address still checks
