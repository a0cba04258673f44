"""Helpers shared by the tests (and by benchmarks/): the PostgreSQL oracle (pg_oracle), the
fake SageMaker endpoint (fake_sagemaker) and the live-loader pieces on it (aws_helpers),
the corpus reader (corpus_files), the catalogue of hostile values (hostile) and the
notebooks' runner (notebooks)."""
