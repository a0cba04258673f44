"""Live loads from AWS, and what a load reports.

``options`` says what to load (no botocore); ``accounts`` checks credentials and
resolves accounts, regions and clients; ``load`` (``load_aws``) runs a live load;
``fanout`` spreads its List, Describe and ListTags calls over one thread pool;
``calls`` handles one AWS call; ``rate_shaping`` paces each API and gives up on a
target that stops answering; ``filters`` turns a query's simple filters into List
parameters; ``cache`` keeps Parquet snapshots; ``report`` and ``progress`` say what a
load did and is doing (docs/design.md, "Live loads").
"""
