"""The batch's output tables: their columns (one registry), rows, CSV and Parquet files,
the Frictionless data package, the review pages and the run overview."""
