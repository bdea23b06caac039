"""``manage.py demo``: set up the demo project with the sample article and start the server.

Creates (or refreshes) a teacher and two students, a project they share, loads
``fixtures/russia-china-relations.txt`` and computes its suggestions right away (so the demo
needs no worker for them), prints the URL and the logins, and runs the development server
with a background worker (``db_worker``) beside it, so suggestions for uploaded articles are
computed too (``--no-worker`` to run without one). Passwords are random unless ``--password`` is given; nothing secret
lives in settings.
"""
from __future__ import annotations

import secrets
import signal
import subprocess
import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from annotations import services
from annotations.errors import Conflict
from annotations.models import Document, Project, Role

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
        url = f"http://{addrport}/"
        self.stdout.write(self.style.SUCCESS(f"\nargmap demo ready at {url}p/demo/"))
        for username, chosen, role in logins:
            self.stdout.write(f"  {role:<10} {username:<10} password: {chosen}")
        if no_serve:
            return
        worker = None
        if not no_worker:
            # Suggestions for uploaded articles are queued as tasks; this worker runs them.
            worker = subprocess.Popen([sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker", "--no-reload"])
            self.stdout.write(f"  background worker (db_worker) running as process {worker.pid}")
            # Stopped with the server, also when the server is stopped with SIGTERM rather than Ctrl+C.
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
