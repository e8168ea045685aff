import CCurl
import Foundation

/// A small blocking HTTP client over libcurl, for the few places Capstan speaks HTTP as a client
/// (webhook and server tests today; the Kubernetes API and Git host APIs later).
///
/// Every request has a total deadline (`CURLOPT_TIMEOUT_MS`) and a connect deadline, so a server that
/// accepts and never answers cannot hold the caller.
public struct HTTPClient: Sendable {
    /// TLS settings.
    public struct TLS: Sendable {
        /// A PEM bundle of CAs to trust instead of the system store.
        public var caFile: String?
        public var verifyPeer: Bool
        public init(caFile: String? = nil, verifyPeer: Bool = true) {
            self.caFile = caFile
            self.verifyPeer = verifyPeer
        }
    }

    public var timeout: Duration
    public var connectTimeout: Duration
    public var tls: TLS

    public init(timeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(10), tls: TLS = TLS()) {
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.tls = tls
    }

    /// Performs one request and returns the response, or throws `HTTPError` (transport problems only:
    /// any HTTP status, including 4xx/5xx, is a response).
    public func send(_ request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        CurlGlobal.initialize()
        let handle = try CurlHandle()
        return try handle.perform(request, client: self)
    }

    /// The async form: runs the blocking transfer on a thread outside the cooperative pool.
    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let result: Result<HTTPResponse, HTTPError> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                do throws(HTTPError) { continuation.resume(returning: .success(try self.send(request))) } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}

/// One HTTP request.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// One HTTP response.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lower-cased; repeated headers keep the last value.
    public var headers: [String: String]
    public var body: [UInt8]
    /// The HTTP version libcurl negotiated (1.0, 1.1, 2 or 3).
    public var httpVersion: String

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A transport failure, with libcurl's code and message.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Reason: String, Sendable { case timeout, connect, tls, resolve, other }
    public var reason: Reason
    public var code: Int32
    public var message: String
    public var description: String { "HTTP \(reason.rawValue) error (curl \(code)): \(message)" }
}

/// `curl_global_init` must run once before any handle is created.
enum CurlGlobal {
    static let once: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()
    static func initialize() { _ = once }
}
