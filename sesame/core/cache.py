"""The cache every process of Sésame shares when there is no Redis: a table of the database.

Django's ``DatabaseCache`` is shared by every process and every node that uses the database, which
is what login throttling needs (a failure counted by one worker must count on the others). Its
``incr`` is Django's generic one, though: a read then a ``set``, which two processes can interleave
(two failures counted as one) and which gives the key the *default* timeout, so a throttling window
"from the first failure" would restart at every failure. This one increments under the row's
write lock and keeps the key's expiry, as Redis's ``INCR`` does.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        made_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, cache_key, value, expires = (quote(name) for name in (self._table, "cache_key", "value",
                                                                      "expires"))
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        with transaction.atomic(using=db), connection.cursor() as cursor:
            # A write first: it takes the row's lock (the database's on SQLite), so a concurrent
            # increment waits here and then reads the value this one writes.
            cursor.execute(
                f"UPDATE {table} SET {expires} = {expires} WHERE {cache_key} = %s",  # noqa: S608
                [made_key])
            cursor.execute(
                f"SELECT {value} FROM {table} WHERE {cache_key} = %s AND {expires} > %s",  # noqa: S608
                [made_key, now])
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            current = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))  # noqa: S301
            new_value = current + delta
            encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET {value} = %s WHERE {cache_key} = %s",  # noqa: S608
                           [encoded, made_key])
        return new_value
