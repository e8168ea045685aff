import CapstanModel
import Testing

@testable import CapstanTemplate

/// Execution limits: a hostile template fails fast with an error naming the limit.
@Suite struct LimitTests {
    /// Renders with `limits`, returning output or error text and the time taken.
    func timed(_ text: String, _ limits: TemplateLimits = .default) -> (String, Duration) {
        var result = ""
        let elapsed = ContinuousClock().measure {
            do throws(TemplateError) {
                result = try GoTemplate(text).execute(json: .map(ObjectMap()), limits: limits)
            } catch {
                result = "ERROR: " + error.message
            }
        }
        return (result, elapsed)
    }

    @Test(arguments: [
        (#"{{ range until 100000000 }}{{ end }}"#, "error calling until: more than 1000000 elements (Capstan's list size limit)"),
        (#"{{ range $i := until 1000000 }}{{ end }}"#, "range exceeded 100000 iterations (Capstan's iteration limit)"),
        (#"{{ range 1000000000 }}x{{ end }}"#, "range exceeded 100000 iterations"),
        (#"{{ seq 100000000 }}"#, "error calling seq: more than 1000000 elements"),
        (#"{{ repeat 100000000 "x" }}"#, "error calling repeat: strings: Repeat result exceeds 16777216 bytes (Capstan's value size limit)"),
        (#"{{ indent 100000000 "a\nb" }}"#, "error calling indent: indent result exceeds 16777216 bytes"),
        (#"{{ $s := repeat 4000000 "ab\n" }}{{ $s = indent 20 $s }}"#, "error calling indent: indent result exceeds"),
        (#"{{ $s := repeat 1000000 "xxxx" }}{{ wrapWith 1 "\n\n\n\n\n" $s }}"#, "error calling wrapWith: wrapWith result exceeds"),
        (#"{{ $s := repeat 1000000 "ab" }}{{ replace "" "0123456789" $s }}"#, "error calling replace: replace result exceeds"),
        (#"{{ repeat 2000000 "x" }}"#, "template output exceeded 1048576 bytes (Capstan's output limit)"),
        (#"{{ range until 100000 }}{{ repeat 20 "x" }}{{ end }}"#, "template output exceeded 1048576 bytes"),
        (#"{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}"#, "exceeded maximum template depth (1000)"),
        (#"{{ $s := repeat 1000000 "x" }}{{ $l := list }}{{ range until 100 }}{{ $l = append $l $s }}{{ end }}{{ toJson $l }}"#,
         "error calling toJson: arguments exceed 16777216 bytes (Capstan's value size limit)"),
        (#"{{ $l := list "x" }}{{ range until 40 }}{{ $l = list $l $l }}{{ end }}{{ len (toJson $l) }}"#, "error calling toJson: arguments exceed"),
        (#"{{ $l := list "x" }}{{ range until 30 }}{{ $l = concat $l $l }}{{ end }}"#, "result has more than 1000000 elements"),
        (#"{{ uniq (until 1000000) }}"#, "exceeded 1000000 steps (Capstan's step limit"),
        (#"{{ range until 90000 }}{{ range until 90000 }}{{ end }}{{ end }}"#, "range exceeded 100000 iterations"),
    ])
    func hostileTemplatesFailFast(_ text: String, _ message: String) {
        let (out, elapsed) = timed(text)
        #expect(out.hasPrefix("ERROR: template: tpl:1:"), "\(out.prefix(200))")
        #expect(out.contains(message), "\(out.prefix(300))")
        #expect(elapsed < .seconds(10), "\(elapsed)")
    }

    @Test func stepLimitNamesTheLimit() {
        let limits = TemplateLimits(maxSteps: 5_000)
        let (out, _) = timed(#"{{ range until 10000 }}{{ if true }}{{ end }}{{ end }}"#, limits)
        #expect(out == #"ERROR: template: tpl:1:34: executing "tpl" at <true>: template evaluation exceeded 5000 steps (Capstan's step limit; a loop or recursion runs too long)"# || out.contains("exceeded 5000 steps"), "\(out)")
        // The same template within a larger budget runs to the end.
        #expect(timed(#"{{ range until 1000 }}{{ if true }}{{ end }}{{ end }}ok"#, limits).0 == "ok")
    }

    @Test func configuredLimitsApply() {
        #expect(timed(#"{{ range until 11 }}x{{ end }}"#, TemplateLimits(maxRangeIterations: 10)).0.contains("range exceeded 10 iterations"))
        #expect(timed(#"{{ "abcdef" }}"#, TemplateLimits(maxOutputBytes: 5)).0.contains("template output exceeded 5 bytes"))
        #expect(timed(#"{{ "abcde" }}"#, TemplateLimits(maxOutputBytes: 5)).0 == "abcde")
        #expect(timed(#"{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}"#, TemplateLimits(maxTemplateDepth: 10)).0
            .contains("exceeded maximum template depth (10)"))
        #expect(timed(#"{{ upper (repeat 100 "x") | len }}"#, TemplateLimits(maxValueBytes: 50)).0.contains("error calling repeat: result exceeds 50 bytes"))
    }

    @Test func realisticTemplatesStayWellInsideTheDefaults() {
        let text = #"""
            {{- range $i := until 2000 }}
            - name: worker-{{ $i }}
              labels: {{ dict "idx" (toString $i) "zone" (printf "z%d" (mod $i 3)) | toJson }}
              files: {{ list "a" "b" | join "," | b64enc }}
            {{- end }}
            """#
        let (out, elapsed) = timed(text)
        #expect(out.hasPrefix("\n- name: worker-0\n"), "\(out.prefix(200))")
        #expect(out.contains("worker-1999"))
        #expect(elapsed < .seconds(5))
    }
}
