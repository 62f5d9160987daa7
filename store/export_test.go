package store

// PersonTableNames lists the tables an export covers, in its order, for the
// tests of package store_test.
func PersonTableNames() []string {
	names := make([]string, len(personTables))
	for i, t := range personTables {
		names[i] = t.name
	}
	return names
}
