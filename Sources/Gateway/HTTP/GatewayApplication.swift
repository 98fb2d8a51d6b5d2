import BrokerStore
import BrokerCore
public import Hummingbird
import HummingbirdCore
import HTTPTypes
public import Logging
import NIOCore
public import Prometheus
import ExactJSON
import Foundation

/// The gateway's HTTP routes:
///
/// | route | |
/// | --- | --- |
/// | `POST /v1/chat/completions` | routed chat completion, streaming or not |
/// | `GET /v1/models` | policies and models a client can name |
/// | `GET /v1/models/{id}` | one of them |
/// | `GET /healthz` | the process is up |
/// | `GET /readyz` | catalogue loaded and store writable |
/// | `GET /metrics` | Prometheus text format |
public func buildGatewayRouter(gateway: Gateway, registry: PrometheusCollectorRegistry?) -> Hummingbird.Router<BasicRequestContext> {
    let router = Hummingbird.Router()
    let known = KnownRoutes()
    router.add(middleware: UnknownRouteMiddleware(routes: known) { status, message in
        GatewayError(status: status, type: "invalid_request_error", code: status == .notFound ? "unknown_url" : "method_not_allowed", param: nil, message: message)
            .response()
    })
    let chat = ChatCompletionsEndpoint(gateway: gateway)
    router.post("/v1/chat/completions") { request, _ in
        await chat.respond(to: request)
    }
    router.get("/v1/models") { request, _ in
        do {
            _ = try await gateway.keys.authenticate(request.headers[.authorization], lookingUpOn: gateway.storeReads)
        } catch let error as GatewayError {
            return error.response()
        }
        return jsonResponse(.ok, ModelList.json(gateway.state.snapshot))
    }
    router.get("/v1/models/**") { request, context in
        do {
            _ = try await gateway.keys.authenticate(request.headers[.authorization], lookingUpOn: gateway.storeReads)
        } catch let error as GatewayError {
            return error.response()
        }
        // Model ids may contain slashes (`meta-llama/Llama-3.3-70B`): the rest of the path is the id.
        let id = context.parameters.getCatchAll().joined(separator: "/")
        guard let entry = ModelList.json(gateway.state.snapshot)["data"]?.arrayValue?.first(where: { $0["id"]?.stringValue == id }) else {
            return GatewayError.notFound("The model `\(GatewayError.excerpt(id))` does not exist; GET /v1/models lists them").response()
        }
        return jsonResponse(.ok, entry)
    }
    router.get("/healthz") { _, _ in
        jsonResponse(.ok, ["status": "ok"])
    }
    router.get("/readyz") { _, _ in
        let snapshot = gateway.state.snapshot
        let log = gateway.decisionLog.statistics
        var problems: [JSON] = []
        if snapshot.callableOfferCount == 0 {
            let uncallable = snapshot.unavailable.keys.sorted()
            problems.append(
                .string(
                    uncallable.isEmpty
                        ? "catalogue: no offer can be routed to"
                        : "catalogue: no offer can be routed to; providers that cannot be called: \(uncallable.joined(separator: ", "))"))
        }
        if log.failing { problems.append(.string("store: decision log writes failing: \(log.lastError ?? "unknown error")")) }
        let body: JSON = [
            "status": problems.isEmpty ? "ready" : "not_ready", "offers": .int(snapshot.callableOfferCount),
            "decisions_pending": .int(log.pending), "problems": .array(problems),
        ]
        return jsonResponse(problems.isEmpty ? .ok : .serviceUnavailable, body)
    }
    router.get("/metrics") { _, _ in
        gateway.metrics.decisionLogPending(gateway.decisionLog.statistics.pending)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4"
        let bytes = registry?.emitToBuffer() ?? []
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
    known.record(router)
    return router
}

/// The gateway as a Hummingbird application listening on the configured address.
public func buildGatewayApplication(
    gateway: Gateway, registry: PrometheusCollectorRegistry?, logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let listen = gateway.configuration.listen
    return Application(
        router: buildGatewayRouter(gateway: gateway, registry: registry),
        server: HTTPServerBuilder { responder in
            let idle = TimeAmount.nanoseconds(Int64(gateway.configuration.idleTimeoutSeconds * 1_000_000_000))
            return EventLoopBoundHTTP1(
                inner: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: idle)), connections: gateway.connections)
        },
        configuration: .init(
            address: .hostname(listen.host, port: listen.port), serverName: "tokenbrokerd", backlog: gateway.configuration.listenBacklog),
        onServerRunning: onServerRunning,
        logger: logger)
}

func jsonResponse(_ status: HTTPResponse.Status, _ body: JSON) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(body))))
}

/// `GET /v1/models` in OpenAI's list shape: policies first (`owned_by: tokenbroker`), then
/// every model with an offer (`owned_by`: its family), each with the providers that sell it.
enum ModelList {
    static func json(_ snapshot: BrokerSnapshot) -> JSON {
        let created = JSON.int(Int(snapshot.builtAt.timeIntervalSince1970))
        var data: [JSON] = []
        for policy in snapshot.catalogue.policies.keys.sorted() {
            data.append(["id": .string(policy), "object": "model", "created": created, "owned_by": "tokenbroker"])
        }
        if snapshot.catalogue.policies["auto"] == nil {
            data.append(["id": "auto", "object": "model", "created": created, "owned_by": "tokenbroker"])
        }
        var providersByModel: [String: [String]] = [:]
        for offer in snapshot.catalogue.offers where offer.offer.enabled {
            providersByModel[offer.id.model, default: []].append(offer.id.provider)
        }
        for model in snapshot.routableModels {
            let family = snapshot.catalogue.models[model]?.family ?? "unknown"
            data.append([
                "id": .string(model), "object": "model", "created": created, "owned_by": .string(family),
                "providers": .array((providersByModel[model] ?? []).sorted().map(JSON.string)),
            ])
        }
        return ["object": "list", "data": .array(data)]
    }
}
