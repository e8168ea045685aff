import Testing

@Test func placeholderCapstanClusterTests() {}
