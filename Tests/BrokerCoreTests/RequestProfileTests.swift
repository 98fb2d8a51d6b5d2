import BrokerCore
import Foundation
import Testing

@Suite struct RequestProfileTests {
    func profile(_ json: String) throws(RequestError) -> RequestProfile {
        try RequestProfile(chatCompletionsBody: Data(json.utf8))
    }

    @Test func readsNeedsFromTheBody() throws {
        let body = """
            {"model":"frontier","stream":true,"max_completion_tokens":300,"max_tokens":900,
             "messages":[{"role":"system","content":"Be brief."},
                         {"role":"user","content":[{"type":"text","text":"What is in this picture?"},
                                                   {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]}],
             "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}],
             "response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"}}}}
            """
        let profile = try profile(body)
        #expect(profile.model == "frontier")
        #expect(profile.capabilities == [.vision, .tools, .jsonSchema, .streaming])
        #expect(profile.maxOutputTokens == 300)
        #expect(profile.messageCount == 2)
        #expect(profile.estimatedPromptTokens > TokenEstimator.tokensPerImage)
        #expect(profile.estimatedPromptTokens < TokenEstimator.tokensPerImage + 80)
    }

    @Test func defaultsToAutoAndNoCapabilities() throws {
        let profile = try profile(#"{"messages":[{"role":"user","content":"hello there"}]}"#)
        #expect(profile.model == "auto")
        #expect(profile.capabilities == [])
        #expect(profile.maxOutputTokens == nil)
        #expect(profile.estimatedPromptTokens == 3 + 4 + 3)
    }

    @Test func estimateCountsNonASCIIScalarsAsTokens() {
        #expect(TokenEstimator.tokens(in: "abcdefgh") == 2)
        #expect(TokenEstimator.tokens(in: "你好世界") == 4)
        #expect(TokenEstimator.tokens(in: "") == 0)
        #expect(TokenEstimator.tokens(in: "abcd€ö") == 1 + 2)
        // A bridged or substring-made string takes the same path as a native one.
        #expect(TokenEstimator.tokens(in: String("xxabcdefgh".dropFirst(2))) == 2)
    }

    @Test func everyOpenAIFieldInItsDocumentedFormIsAccepted() throws {
        let body = #"""
            {"model":"auto","temperature":0.7,"top_p":1,"presence_penalty":-2,"frequency_penalty":2,"n":1,"seed":-7,
             "stop":["END"],"logprobs":true,"top_logprobs":5,"user":"u1","parallel_tool_calls":false,"store":false,
             "stream":true,"stream_options":{"include_usage":true},
             "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}},{"type":"custom","custom":{"name":"g"}}],
             "tool_choice":{"type":"function","function":{"name":"f"}},
             "response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object"}}},
             "messages":[{"role":"developer","content":"be brief"},
               {"role":"user","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"https://x/y.png"}},
                                         {"type":"image_url","image_url":"https://x/z.png"}]},
               {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
               {"role":"tool","tool_call_id":"c1","content":"42"},
               {"role":"assistant","tool_calls":[{"id":"c2","type":"custom","custom":{"name":"g","input":"x"}}]},
               {"role":"tool","tool_call_id":"c2","content":"ok"}]}
            """#
        let profile = try profile(body)
        #expect(profile.stream && profile.messageCount == 6)
    }

    @Test(arguments: [
        ("{", nil as String?, "body is not valid JSON"),
        (#"{"model":"auto"}"#, "messages", "is required"),
        (#"{"messages":[]}"#, "messages", "must contain at least one message"),
        (#"{"messages":"hi"}"#, "messages", "must be an array"),
        (#"{"messages":[{"content":"x"}]}"#, "messages[0].role", "is required"),
        (#"{"messages":[{"role":"user","content":"x"}],"max_tokens":0}"#, "max_tokens", "must be a positive integer"),
        (#"{"messages":[{"role":"user","content":"x"}],"max_tokens":"10"}"#, "max_tokens", "must be an integer"),
        // Found by sending Int.max to the daemon: the context sum overflowed and crashed it.
        (#"{"messages":[{"role":"user","content":"x"}],"max_tokens":9223372036854775807}"#, "max_tokens", "must be at most 1073741824"),
        (#"{"messages":[{"role":"user","content":"x"}],"max_completion_tokens":1073741825}"#, "max_completion_tokens", "must be at most 1073741824"),
        (#"{"messages":[{"role":"user","content":"x"}],"response_format":{"type":"xml"}}"#, "response_format.type", "must be text, json_object or json_schema, not xml"),
        ("[1, 2]", nil, "must be an object"),
        (#"{"messages":null}"#, "messages", "must be an array"),
        (#"{"model":7,"messages":[{"role":"user","content":"x"}]}"#, "model", "must be a string"),
        (#"{"messages":[{"role":"user","content":7}]}"#, "messages[0].content", "must be a string or an array of parts"),
        (#"{"messages":[{"role":"user","content":[{"text":"x"}]}]}"#, "messages[0].content[0].type", "is required"),
        (#"{"messages":[{"role":"user","content":[{"type":"text","text":5}]}]}"#, "messages[0].content[0].text", "must be a string"),
        (#"{"messages":[{"role":"user","content":"x"}],"stream":"yes"}"#, "stream", "must be true or false"),
        (#"{"messages":[{"role":"user","content":"x"}],"max_tokens":1.5}"#, "max_tokens", "must be an integer"),
        (#"{"messages":[{"role":"user","content":"x"}],"max_tokens":1e400}"#, "max_tokens", "must be an integer"),
        (#"{"messages":[{"role":"user","content":"x"}],"max_tokens":99999999999999999999}"#, "max_tokens", "must be an integer that fits in 64 bits"),
        (#"{"messages":[{"role":"user","content":"x"}],"tools":{}}"#, "tools", "must be an array"),
        (#"{"messages":[{"role":"user","content":"x"}],"response_format":"json"}"#, "response_format", "must be an object"),
        // The fields an OpenAI-compatible provider would otherwise have been the first to check.
        (#"{"messages":[{"role":"user","content":"x"}],"temperature":"hot"}"#, "temperature", "must be a number"),
        (#"{"messages":[{"role":"user","content":"x"}],"temperature":2.5}"#, "temperature", "must be a number from 0 to 2"),
        (#"{"messages":[{"role":"user","content":"x"}],"top_p":"x"}"#, "top_p", "must be a number"),
        (#"{"messages":[{"role":"user","content":"x"}],"presence_penalty":-3}"#, "presence_penalty", "must be a number from -2 to 2"),
        (#"{"messages":[{"role":"user","content":"x"}],"n":"2"}"#, "n", "must be an integer"),
        (#"{"messages":[{"role":"user","content":"x"}],"n":0}"#, "n", "must be from 1 to 128"),
        (#"{"messages":[{"role":"user","content":"x"}],"seed":"x"}"#, "seed", "must be an integer"),
        (#"{"messages":[{"role":"user","content":"x"}],"stop":5}"#, "stop", "must be a string or an array of strings"),
        (#"{"messages":[{"role":"user","content":"x"}],"stop":["a",1]}"#, "stop[1]", "must be a string"),
        (#"{"messages":[{"role":"user","content":"x"}],"tool_choice":"maybe"}"#, "tool_choice", "must be none, auto, required or an object naming a function"),
        (#"{"messages":[{"role":"user","content":"x"}],"tool_choice":5}"#, "tool_choice", "must be none, auto, required or an object naming a function"),
        (#"{"messages":[{"role":"user","content":"x"}],"tool_choice":{"type":"function"}}"#, "tool_choice.function.name", "must be a string"),
        (#"{"messages":[{"role":"user","content":"x"}],"tools":[{}]}"#, "tools[0].function.name", "is required (a string)"),
        (#"{"messages":[{"role":"user","content":"x"}],"tools":[5]}"#, "tools[0]", "must be an object"),
        (#"{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"bogus"}]}"#, "tools[0].type", "must be one of function, custom"),
        (#"{"messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"bogus"}]}]}"#, "messages[0].tool_calls[0].type", "must be one of function, custom"),
        (#"{"messages":[{"role":"user","content":"x"}],"parallel_tool_calls":"no"}"#, "parallel_tool_calls", "must be true or false"),
        (#"{"messages":[{"role":"user","content":"x"}],"stream_options":{"include_usage":1}}"#, "stream_options.include_usage", "must be true or false"),
        (#"{"messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema"}}"#, "response_format.json_schema", "is required (an object) for type json_schema"),
        (#"{"messages":[{"role":"wizard","content":"x"}]}"#, "messages[0].role", "must be one of system, developer, user, assistant, tool, function, not wizard"),
        (#"{"messages":[{"role":"tool","content":"x"}]}"#, "messages[0].tool_call_id", "is required (a string) for a tool message"),
        (#"{"messages":[{"role":"user","content":[{"type":"hologram"}]}]}"#, "messages[0].content[0].type", "must be one of text, image_url, input_audio, file, refusal, not hologram"),
        (#"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":5}]}]}"#, "messages[0].content[0].image_url.url", "is required (a string)"),
        (#"{"messages":[{"role":"user","content":[{"type":"text"}]}]}"#, "messages[0].content[0].text", "is required"),
        (#"{"messages":[{"role":"assistant","tool_calls":5}]}"#, "messages[0].tool_calls", "must be an array"),
        (#"{"messages":[{"role":"assistant","tool_calls":[{"id":"c"}]}]}"#, "messages[0].tool_calls[0].function.name", "is required (a string)"),
    ])
    func rejectsBadBodiesNamingTheField(json: String, field: String?, message: String) {
        #expect(throws: RequestError(field: field, message: message)) { try profile(json) }
    }
}
