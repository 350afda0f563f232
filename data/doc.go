// Package data holds the tables nerve trains on and what turns them into
// network inputs: a Dataset (features X, samples×features, and targets),
// seeded train/test splits, standardisation of the features (Scaler), and
// the mapping between class labels and one-hot rows (Classes).
//
// Features are float64 here, whatever precision a network trains in: the
// statistics of a Scaler are computed once, exactly, and stored in the
// model file.
//
// The embedded Iris data needs no files. Everything that data can get
// wrong (an unseen label, a feature count that differs) is an error, never
// a panic.
package data
