"""One-row lookups compiled to SQL once and then run with a new value: on the donor API's hot
path the ORM's SQL compiler costs more than the indexed query itself (see `bench/api.py`).

`PreparedLookup(lambda value: Model.objects.select_related(...).filter(field=value))` compiles
that queryset once per thread and database (as Django's connections are), keeping the SQL and
the ORM's own converters and related-object populators; `.first(value)` runs the SQL with
`value` and builds the object the same way a queryset would.
"""

import threading

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import get_related_populators

_MARKER = "\x00prepared-lookup-value\x00"


class PreparedLookup:
    def __init__(self, make_queryset):
        self._make_queryset = make_queryset
        self._compiled = threading.local()  # alias → what `_compile` returns, per thread

    def _compile(self, connection, alias: str):
        queryset = self._make_queryset(_MARKER).order_by()[:1]
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        if list(params).count(_MARKER) != 1:
            raise ValueError("A prepared lookup takes exactly one value.")
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        klass_info = compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        compiled = {
            "sql": sql,
            "params": list(params),
            "position": list(params).index(_MARKER),
            "compiler": compiler,
            "converters": compiler.get_converters(columns),
            "model": klass_info["model"],
            "slice": slice(start, end),
            "init_list": [column.target.attname for column in columns[start:end]],
            "populators": get_related_populators(klass_info, compiler.select, alias),
        }
        setattr(self._compiled, alias, compiled)
        return compiled

    def first(self, value, *, using: str = DEFAULT_DB_ALIAS):
        """The object the queryset finds for `value`, or None."""
        connection = connections[using]
        compiled = getattr(self._compiled, using, None) or self._compile(connection, using)
        params = compiled["params"].copy()
        params[compiled["position"]] = value
        with connection.cursor() as cursor:
            cursor.execute(compiled["sql"], params)
            row = cursor.fetchone()
        if row is None:
            return None
        if compiled["converters"]:
            row = next(compiled["compiler"].apply_converters([row], compiled["converters"]))
        obj = compiled["model"].from_db(using, compiled["init_list"], row[compiled["slice"]])
        for populator in compiled["populators"]:
            populator.populate(row, obj)
        return obj
