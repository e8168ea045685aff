import CapstanModel

/// Masterminds/sprig v3.3.0 `HermeticTxtFuncMap`: the 194 functions ClusterClass patch templates can call.
enum Sprig {
    private typealias S = SprigSupport

    /// Bounds on what one function call may build, checked before building (Go has none and would exhaust
    /// memory instead); `TemplateLimits.maxValueBytes` cannot exceed `maxValueBytes`.
    static let maxValueBytes = 16 << 20
    static let maxElements = 1_000_000

    /// Fails a call whose result would exceed `maxValueBytes`.
    static func checkBuild(_ bytes: Int, _ what: String) throws(FunctionError) {
        if bytes < 0 || bytes > maxValueBytes {
            throw FunctionError("\(what) result exceeds \(maxValueBytes) bytes (Capstan's value size limit)")
        }
    }

    static let all: [TemplateFunction] =
        strings + numeric + lists + dicts + defaults + encoding + regex + paths + urls + versions + dates + unsupported

    static let versions: [TemplateFunction] = [
        TemplateFunction("semver", [.string]) { a throws(FunctionError) in
            do throws(SemanticVersion.ParseError) { return .semver(try SemanticVersion.parse(S.string(a[0]))) } catch { throw FunctionError(error.message) }
        },
        TemplateFunction("semverCompare", [.string, .string]) { a throws(FunctionError) in
            let constraints = try SemverCache.constraints(S.string(a[0]))
            let version = try SemverCache.version(S.string(a[1]))
            return .bool(constraints.check(version))
        },
    ]

    /// The date functions that need no clock: `duration` and `durationRound` (on strings and int64).
    static let dates: [TemplateFunction] = [
        TemplateFunction("duration", [.any]) { a throws(FunctionError) in
            var n: Int64 = 0
            switch a[0] {
            case .string(let s): if case .success(let v) = GoNumberParsing.parseInt(s, base: 10) { n = v }
            case .int64(let v): n = v
            default: n = 0
            }
            return .string(GoDuration.string(n &* 1_000_000_000))
        },
        TemplateFunction("durationRound", [.any]) { a throws(FunctionError) in
            var d: Int64 = 0
            switch a[0] {
            case .string(let s): d = GoDuration.parse(s) ?? 0
            case .int64(let v): d = v
            default: d = 0
            }
            return .string(GoDuration.round(d))
        },
    ]

    /// Functions Capstan does not implement: random output (keys, certificates, bcrypt salts, AES IVs)
    /// would change on every reconcile, and the time functions need Go `time.Time` values. Each keeps its
    /// Go signature (so argument errors match) and fails with `not supported by Capstan`.
    static let unsupported: [TemplateFunction] = {
        let signatures: [(String, [TemplateFunction.Param])] = [
            ("bcrypt", [.string]), ("htpasswd", [.string, .string]), ("genPrivateKey", [.string]),
            ("derivePassword", [.uint32, .string, .string, .string, .string]), ("buildCustomCert", [.string, .string]),
            ("genCA", [.string, .int]), ("genCAWithKey", [.string, .int, .string]),
            ("genSelfSignedCert", [.string, .anyList, .anyList, .int]),
            ("genSelfSignedCertWithKey", [.string, .anyList, .anyList, .int, .string]),
            ("genSignedCert", [.string, .anyList, .anyList, .int, .any]),
            ("genSignedCertWithKey", [.string, .anyList, .anyList, .int, .any, .string]),
            ("encryptAES", [.string, .string]), ("decryptAES", [.string, .string]),
            ("ago", [.any]), ("toDate", [.string, .string]), ("mustToDate", [.string, .string]), ("unixEpoch", [.time]),
            ("mustDateModify", [.string, .time]), ("must_date_modify", [.string, .time]),
        ]
        return signatures.map { name, params in
            TemplateFunction(name, params) { _ throws(FunctionError) in throw FunctionError("not supported by Capstan") }
        }
    }()
}

extension GoDuration {
    /// sprig's `durationRound` buckets.
    static func round(_ d: Int64) -> String {
        let u = d.magnitude
        let second: UInt64 = 1_000_000_000
        let minute = 60 * second
        let hour = 60 * minute
        let day = 24 * hour
        let month = 30 * day
        let year = 365 * day
        switch u {
        case let x where x > year: return "\(x / year)y"
        case let x where x > month: return "\(x / month)mo"
        case let x where x > day: return "\(x / day)d"
        case let x where x > hour: return "\(x / hour)h"
        case let x where x > minute: return "\(x / minute)m"
        case let x where x > second: return "\(x / second)s"
        default: return "0s"
        }
    }
}
