"""The corpus: every document once, near-duplicates clustered, exported with provenance.

Stages, each its own module: ``shingles`` (normalised text -> shingle hashes), ``minhash``
(signatures), ``fingerprint`` (both, per text), ``lsh`` (bands and the rule that makes two
documents copies), ``grouping`` (connected components in memory), ``canonical`` (which copy
stands for a cluster; the official flag comes from the extractor), ``store`` and
``incremental`` (the clustering tables), ``clusters`` (full rebuild, and the step after
each crawl), ``records`` (the provenance query), ``export`` and ``warc`` (writers), ``stats``.
Importing the package is cheap: numpy, pyarrow and warcio load inside the functions.
"""
