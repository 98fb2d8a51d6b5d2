import HTTPTypes
import Hummingbird
import Testing

@testable import Gateway

@Suite struct KnownRoutesTests {
    @Test func aPathsMethodsComeFromTheRoutesThatMatchIt() {
        let router = Router(context: BasicRequestContext.self)
        router.get("/v1/models") { _, _ in "" }
        router.post("/v1/models") { _, _ in "" }
        router.get("/v1/models/**") { _, _ in "" }
        router.delete("/v1/keys/{id}") { _, _ in "" }
        let known = KnownRoutes()
        known.record(router)
        #expect(Set(known.methods(for: "/v1/models")) == [.get, .post])
        #expect(known.methods(for: "/v1/models/org/name") == [.get])
        #expect(known.methods(for: "/v1/keys/k1") == [.delete])
        #expect(known.methods(for: "/v1/keys").isEmpty)
        #expect(known.methods(for: "/v1/keys/k1/more").isEmpty)
        #expect(known.methods(for: "/v1/nothing").isEmpty)
    }
}
