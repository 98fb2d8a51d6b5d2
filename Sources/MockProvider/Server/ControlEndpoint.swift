import Foundation
import Hummingbird
import NIOCore

/// The mock's own HTTP API under `/_mock/`: read the configuration and the counts, change
/// a model's behaviour at run time, reset.
///
/// ```sh
/// curl -X PUT localhost:9100/_mock/models/gpt-4o -d '{"error": "rate_limited", "retry_after_seconds": 3}'
/// ```
struct ControlEndpoint: Sendable {
    let state: MockState

    func register(on router: Router<some RequestContext>) {
        router.get("/_mock/config") { _, _ in json(state.configuration.json) }
        router.get("/_mock/stats") { _, _ in json(state.statsJSON()) }
        router.post("/_mock/reset") { _, _ in
            state.reset()
            return json(state.configuration.json)
        }
        router.put("/_mock/models/**") { request, context in
            try await setModel(request, name: Self.modelName(context))
        }
        router.delete("/_mock/models/**") { _, context in
            let name = Self.modelName(context)
            state.removePatch(for: name)
            return json(["model": .string(name), "behaviour": state.configuration.behaviour(for: name).json])
        }
    }

    /// The model named by the rest of the path, which may contain slashes (`accounts/x/models/y`).
    static func modelName(_ context: some RequestContext) -> String {
        context.parameters.getCatchAll().joined(separator: "/")
    }

    private func setModel(_ request: Request, name: String) async throws -> Response {
        guard !name.isEmpty else { return json(["error": "name a model: PUT /_mock/models/{model}"], status: .badRequest) }
        var request = request
        let body = try await request.collectBody(upTo: 1024 * 1024)
        let patch: BehaviourPatch
        do {
            patch = try JSONDecoder().decode(BehaviourPatch.self, from: Data(body.readableBytesView))
        } catch let error as BehaviourError {
            return json(["error": .string(error.description)], status: .badRequest)
        } catch let error as DecodingError {
            return json(["error": .string(error.readableDescription)], status: .badRequest)
        } catch {
            return json(["error": .string("\(error)")], status: .badRequest)
        }
        state.setPatch(patch, for: name)
        return json(["model": .string(name), "behaviour": state.configuration.behaviour(for: name).json])
    }

    private func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var response = Response(status: status, body: ResponseBody(byteBuffer: ByteBuffer(string: value.serialized())))
        response.headers[.contentType] = "application/json"
        return response
    }
}
