"""The REST API (DRF): serializers, views, permissions and URLs."""
