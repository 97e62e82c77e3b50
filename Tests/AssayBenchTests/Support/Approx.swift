/// Relative closeness for comparing against reference values printed by numpy/scipy.
func isClose(_ actual: Double, _ expected: Double, relative: Double = 1e-12) -> Bool {
    if actual == expected { return true }
    return abs(actual - expected) <= relative * max(abs(actual), abs(expected))
}
