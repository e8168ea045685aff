import Testing

@Test func placeholderCapstanDiffTests() {}
