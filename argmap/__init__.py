"""The argmap Django project: settings, URLs, WSGI/ASGI and the embedded database bootstrap."""
