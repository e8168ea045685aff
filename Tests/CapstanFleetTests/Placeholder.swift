import Testing

@Test func placeholderCapstanFleetTests() {}
