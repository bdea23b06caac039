"""Composite foreign keys that Django cannot declare, so PostgreSQL enforces:

- a span's paragraph belongs to the span's document;
- a relation's two ends are spans of the relation's document and layer.

Concurrent requests cannot break these, whatever the Python code checks first.
"""
from django.db import migrations

FOREIGN_KEYS = [
    (
        "annotations_annotation",
        "annotation_paragraph_in_its_document",
        "(paragraph_id, document_id)",
        "annotations_paragraph (id, document_id)",
    ),
    (
        "annotations_suggestion",
        "suggestion_paragraph_in_its_document",
        "(paragraph_id, document_id)",
        "annotations_paragraph (id, document_id)",
    ),
    (
        "annotations_relation",
        "relation_source_in_same_document_and_layer",
        "(source_id, layer_id, document_id)",
        "annotations_annotation (id, layer_id, document_id)",
    ),
    (
        "annotations_relation",
        "relation_target_in_same_document_and_layer",
        "(target_id, layer_id, document_id)",
        "annotations_annotation (id, layer_id, document_id)",
    ),
]


class Migration(migrations.Migration):
    dependencies = [("annotations", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY {columns} REFERENCES {target} "
            "ON DELETE CASCADE",
            reverse_sql=f"ALTER TABLE {table} DROP CONSTRAINT {name}",
        )
        for table, name, columns, target in FOREIGN_KEYS
    ]
