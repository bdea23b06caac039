"""``manage.py demo``: set up the demo project with the sample article and start the server.

Creates (or refreshes) a teacher and two students, a project they share, loads
``fixtures/russia-china-relations.txt`` and computes its suggestions right away (so the demo
needs no worker for them), prints the URL and the logins, and runs the development server
with a background worker (``db_worker``) beside it, so suggestions for uploaded articles are
computed too (``--no-worker`` to run without one). Passwords are random unless ``--password`` is given; nothing secret
lives in settings.

The server and the worker are two child processes that stop together: when the server exits
(Ctrl+C, SIGTERM, or it could not bind its port) the worker is stopped, and the worker is
started with a parent-death signal so that it never outlives ``demo`` itself. A port already
in use is refused before anything is set up, naming the process that holds it.
"""
from __future__ import annotations

import ctypes
import secrets
import signal
import subprocess
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from annotations import services
from annotations.errors import Conflict
from annotations.models import Annotation, Document, Exercise, Project, Role, Suggestion
from annotations.selectors.exercises import exercise_key_layer, open_join_code

SAMPLE_ARTICLE = settings.BASE_DIR / "fixtures" / "russia-china-relations.txt"
DEMO_USERS = [("teacher", Role.OWNER), ("student1", Role.ANNOTATOR), ("student2", Role.ANNOTATOR)]


class Command(BaseCommand):
    help = "Create the demo project (a teacher, two students, the sample article) and start the server."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password for all demo users (default: a random one each, printed).")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="Where to serve (default 127.0.0.1:8000).")
        parser.add_argument("--no-serve", action="store_true", help="Set up the data and stop; do not start the server.")
        parser.add_argument("--no-worker", action="store_true",
                            help="Do not start a background worker (python manage.py db_worker) beside the server.")

    def handle(self, *args, password, addrport, no_serve, no_worker=False, **options):
        if not no_serve:
            host, port = split_addrport(addrport)
            holder = port_holder(host, port)
            if holder:
                raise CommandError(f"port {port} on {host} is in use by {holder}; stop it or pass --addrport HOST:PORT")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        User = get_user_model()
        logins = []
        users = {}
        for username, role in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
            chosen = password or secrets.token_urlsafe(9)
            user.set_password(chosen)
            user.save(update_fields=["password"])
            users[username] = (user, role)
            logins.append((username, chosen, role))
        project = Project.objects.filter(slug="demo").first()
        if project is None:
            project = services.project_create(
                name="Demo: Russia–China relations", slug="demo", creator=users["teacher"][0],
                description="The sample article, for trying argmap.",
            )
        for user, role in users.values():
            services.membership_set(project=project, user=user, role=role)
        try:
            document = services.document_import(
                project=project, user=None, data=SAMPLE_ARTICLE.read_bytes(), filename=SAMPLE_ARTICLE.name
            )
            self.stdout.write(f"Loaded the sample article as document {document.pk}.")
        except Conflict as already:
            self.stdout.write(f"The sample article is already loaded (document {already.details['document_id']}).")
            document = Document.objects.select_related("project").get(pk=already.details["document_id"])
        run = services.suggestions_compute(document=document)
        self.stdout.write(f"Computed {run.suggestion_count} suggestions for it ({run.pipeline_name} {run.pipeline_version}).")
        if run.fallback_message:
            self.stdout.write(self.style.WARNING(run.fallback_message))
        code, exercise = self.demo_class(users)
        url = f"http://{addrport}/"
        self.stdout.write(self.style.SUCCESS(f"\nargmap demo ready at {url}p/demo/"))
        self.stdout.write(f"A class (demo-class) with an exercise on the sample article and its key: teacher at "
                          f"{url}e/{exercise.pk}/dashboard/; students join at {url}join/ with the code {code}.")
        for username, chosen, role in logins:
            self.stdout.write(f"  {role:<10} {username:<10} password: {chosen}")
        if no_serve:
            return
        self.serve(addrport, worker=not no_worker)

    def demo_class(self, users) -> tuple[str, object]:
        """A second project used as a class: the sample article, an exercise whose key is the
        article's strongest suggestions (a stand-in for the teacher's map), an open join code.
        Idempotent: a second run keeps the class and its exercise."""
        teacher = users["teacher"][0]
        project = Project.objects.filter(slug="demo-class").first()
        if project is None:
            project = services.project_create(name="Demo class", slug="demo-class", creator=teacher,
                                              description="A class with an exercise on the sample article.")
        try:
            document = services.document_import(project=project, user=None, data=SAMPLE_ARTICLE.read_bytes(),
                                                filename=SAMPLE_ARTICLE.name)
        except Conflict as already:
            document = Document.objects.select_related("project").get(pk=already.details["document_id"])
        exercise = Exercise.objects.filter(project=project).first()
        if exercise is None:
            exercise = services.exercise_create(
                project=project, user=teacher, title="Map the article's argument", document_ids=[document.pk],
                instructions="Tag the main claims, the evidence for them and the counterclaims; link evidence to the claim it supports.",
            )
            services.suggestions_compute(document=document)
            key = exercise_key_layer(exercise)
            for suggestion in Suggestion.objects.filter(document=document).order_by("-score")[:8]:
                span = services.annotation_create(paragraph=suggestion.paragraph, layer=key, user=teacher,
                                                  start=suggestion.start, end=suggestion.end, label=suggestion.label,
                                                  quote=None, origin=Annotation.Origin.SUGGESTION)
                cues = ", ".join(str(cue) for cue in list(suggestion.cues)[:3])
                services.key_note_set(exercise=exercise, user=teacher, annotation=span,
                                      text=f"A {span.get_label_display().lower()}" + (f": look at {cues}." if cues else "."))
        code = open_join_code(project=project) or services.join_code_open(project=project, user=teacher)
        return code.display, exercise

    def serve(self, addrport: str, *, worker: bool) -> None:
        """Run runserver and (optionally) db_worker as children until the server exits; stop both."""
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        children = []
        # Stopped with the server, also when demo is stopped with SIGTERM rather than Ctrl+C.
        previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            if worker:
                # Suggestions for uploaded articles are queued as tasks; this worker runs them.
                children.append(subprocess.Popen([*manage, "db_worker", "--no-reload"], preexec_fn=_die_with_parent))
                self.stdout.write(f"  background worker (db_worker) running as process {children[-1].pid}")
            self.stdout.flush()
            server = subprocess.Popen([*manage, "runserver", addrport, "--noreload"], preexec_fn=_die_with_parent)
            children.append(server)
            try:
                code = server.wait()
            except KeyboardInterrupt:  # Ctrl+C reached the whole group: the server stops by itself
                code = 0
        finally:
            for child in reversed(children):
                _stop(child)
            signal.signal(signal.SIGTERM, previous)
        if code not in (0, -signal.SIGINT, -signal.SIGTERM):
            host, port = split_addrport(addrport)
            holder = port_holder(host, port)
            reason = f"port {port} on {host} is in use by {holder}" if holder else f"it exited with code {code}"
            raise CommandError(f"the server stopped: {reason}; the background worker was stopped too")


def split_addrport(addrport: str) -> tuple[str, int]:
    """``"127.0.0.1:8000"`` → ("127.0.0.1", 8000); a bare port means 127.0.0.1."""
    host, _, port = addrport.rpartition(":")
    try:
        return (host.strip("[]") or "127.0.0.1"), int(port)
    except ValueError:
        raise CommandError(f"--addrport must be HOST:PORT or PORT, not {addrport!r}") from None


def port_holder(host: str, port: int) -> str | None:
    """Who listens on ``host:port``: "process 1234 (python manage.py runserver)", or None if it is free."""
    import socket

    import psutil

    probe = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as runserver binds
    try:
        probe.bind((host, port))
        return None
    except OSError:
        pass
    finally:
        probe.close()
    try:
        for connection in psutil.net_connections(kind="inet"):
            if connection.status == psutil.CONN_LISTEN and connection.laddr and connection.laddr.port == port and connection.pid:
                try:
                    command = " ".join(psutil.Process(connection.pid).cmdline())[:120]
                except psutil.Error:
                    command = "?"
                return f"process {connection.pid} ({command})"
    except psutil.AccessDenied:
        pass
    return "another process (not visible to this user)"


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the parent (demo) dies, however it dies (Linux)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
