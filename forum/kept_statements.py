"""PostgreSQL connections that keep their prepared statements from one request to the next.

psycopg prepares a statement on a connection once the connection has run it five times: the
server then keeps its parse and, for most statements, its plan. psycopg forgets them all at
every ROLLBACK, since a rollback may undo the creation of something a kept statement names.
A request that wrote nothing ends its transaction with a rollback (its session closes without a
commit), so a worker's connection forgot its statements at the end of every page a reader
read, and each statement was parsed and planned anew: more than half of PostgreSQL's time on a
cold prompt page.

A transaction that wrote nothing ends the same by COMMIT as by ROLLBACK: nothing to keep or
undo, and what it set with SET LOCAL ends either way. So a rollback first asks PostgreSQL
whether the transaction wrote (it holds a transaction id only once it has), and ends one that
did not with COMMIT, which keeps the statements. A transaction that wrote, or failed, is
rolled back as before.

A statement whose best plan depends on its parameters' values is never prepared: executed
with PLANNED_EACH_TIME, it is planned for the values it is given. A search's statement is one:
after five runs PostgreSQL may keep a generic plan, made without knowing how common the words
are, and at a million contributions that plan took 31-90 ms for a common word where one made
for it took 11-17.
"""

from __future__ import annotations

import psycopg
from psycopg.pq import TransactionStatus
from sqlalchemy import event

WROTE = "SELECT pg_current_xact_id_if_assigned() IS NOT NULL"
# The execution options of a statement planned for each execution's values, never prepared.
PLANNED_EACH_TIME = {"planned_each_time": True}


class KeepingConnection(psycopg.Connection):
    """A psycopg connection whose rollback of a transaction that wrote nothing is a commit."""

    def rollback(self) -> None:
        if self.pgconn.transaction_status == TransactionStatus.INTRANS and not self._wrote():
            self.commit()
        else:
            super().rollback()

    def _wrote(self) -> bool:
        """Whether the open transaction wrote anything; when that cannot be told, yes."""
        try:
            with self.cursor() as cursor:
                row = cursor.execute(WROTE).fetchone()
        except psycopg.Error:
            return True
        return row is None or bool(row[0])


def keep_statements(engine) -> None:
    """Make `engine` open its psycopg connections as KeepingConnection (other drivers: as
    they are)."""
    if engine.dialect.driver != "psycopg":
        return

    @event.listens_for(engine, "do_connect")
    def _connect(_dialect, _record, cargs, cparams):
        return KeepingConnection.connect(*cargs, **cparams)

    @event.listens_for(engine, "do_execute")
    def _execute(cursor, statement, parameters, context):
        if context.execution_options.get("planned_each_time"):
            cursor.execute(statement, parameters, prepare=False)
            return True  # executed here
        return None

    @event.listens_for(engine, "do_execute_no_params")
    def _execute_no_params(cursor, statement, context):
        return _execute(cursor, statement, None, context)
