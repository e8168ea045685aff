import CapstanCurl
import CapstanTesting
import Foundation
import Testing

@Suite struct HTTPClientTests {
    @Test func getAndPostAgainstALoopbackServer() async throws {
        let server = try TCPTestServer { request in
            let text = String(decoding: request, as: UTF8.self)
            let body = text.hasPrefix("POST") ? String(text[text.range(of: "\r\n\r\n")!.upperBound...]) : "hello"
            return Array("HTTP/1.1 201 Created\r\nX-Echo: yes\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8)
        }
        defer { server.stop() }
        let client = HTTPClient(timeout: .seconds(5))
        let get = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(server.port)/x"))
        #expect(get.status == 201)
        #expect(get.text == "hello")
        #expect(get.headers["x-echo"] == "yes")
        let post = try await client.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(server.port)/y",
                                                      headers: [("Content-Type", "application/json")], body: Array(#"{"a":1}"#.utf8)))
        #expect(post.text == #"{"a":1}"#)
    }

    /// Timed on the calling thread (the blocking API), so the bound measures curl's deadline and not how long
    /// a busy test process takes to resume an async test.
    @Test func aBlackHoleServerTimesOutWithinTheDeadline() throws {
        let server = try TCPTestServer.blackHole()
        defer { server.stop() }
        let start = Date()
        let error = #expect(throws: HTTPError.self) {
            try HTTPClient(timeout: .milliseconds(300)).send(HTTPRequest(url: "http://127.0.0.1:\(server.port)/"))
        }
        #expect(error?.reason == .timeout)
        // Generous bound: the point is "ends", and CI machines can be slow; the deadline itself is 0.3 s.
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test func theAsyncAPIReportsTheTimeoutToo() async throws {
        let server = try TCPTestServer.blackHole()
        defer { server.stop() }
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPClient(timeout: .milliseconds(300)).send(HTTPRequest(url: "http://127.0.0.1:\(server.port)/"))
        }
        #expect(error?.reason == .timeout)
    }

    @Test func connectionRefusedIsAConnectError() async throws {
        let server = try TCPTestServer.blackHole()
        let port = server.port
        server.stop()
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPClient(timeout: .seconds(2)).send(HTTPRequest(url: "http://127.0.0.1:\(port)/"))
        }
        #expect(error?.reason == .connect)
    }
}
