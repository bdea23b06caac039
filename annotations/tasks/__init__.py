"""Background tasks on the Django Tasks API (django-tasks, database backend; run by
``python manage.py db_worker``): ``suggestions`` (compute a document's suggestions, train a
project's model), ``exports`` (a project's zip too big for one request) and ``scores`` (a
class re-scored after its key changed)."""
