import Testing

@Test func placeholderCapstanGitTests() {}
