import Testing

@Test func placeholderCapstanPlanTests() {}
