import Testing

@Test func placeholderCapstanReconcilerTests() {}
