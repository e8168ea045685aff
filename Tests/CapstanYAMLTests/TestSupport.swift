import CapstanModel

/// Swift Testing also exports a `SourceLocation`; in these tests the name means Capstan's.
typealias SourceLocation = CapstanModel.SourceLocation
