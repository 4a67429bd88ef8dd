from __future__ import annotations

import sqlalchemy as sa

from adapters.store import create_engine, migrate
from adapters.store.tables import metadata


async def test_migrations_create_the_tables_the_code_uses(store_url: str) -> None:
    engine = create_engine(store_url)
    try:
        await migrate(engine)
        await migrate(engine)  # a second start finds nothing to do
        async with engine.connect() as connection:
            shape = await connection.run_sync(
                lambda sync: {
                    table: {column["name"] for column in sa.inspect(sync).get_columns(table)}
                    for table in sa.inspect(sync).get_table_names()
                }
            )
        for table in metadata.sorted_tables:
            assert shape.get(table.name) == {column.name for column in table.columns}, table.name
    finally:
        await engine.dispose()
