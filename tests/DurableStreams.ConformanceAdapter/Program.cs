// Placeholder: replaced by the real adapter.
using System.Text.Json.Nodes;
var stdin = Console.In;
string? line;
while ((line = stdin.ReadLine()) is not null)
{
    if (line.Length == 0) continue;
    var cmd = JsonNode.Parse(line)!.AsObject();
    var type = (string?)cmd["type"] ?? "";
    var result = type switch
    {
        "init" => new JsonObject { ["type"] = "init", ["success"] = true, ["clientName"] = "durable-streams-dotnet", ["clientVersion"] = "0.1.0", ["features"] = new JsonObject { ["sse"] = true, ["longPoll"] = true, ["auto"] = true, ["batching"] = true, ["dynamicHeaders"] = true, ["streaming"] = true, ["retryOptions"] = true, ["batchItems"] = true, ["strictZeroValidation"] = true } },
        "shutdown" => new JsonObject { ["type"] = "shutdown", ["success"] = true },
        _ => new JsonObject { ["type"] = "error", ["success"] = false, ["commandType"] = type, ["errorCode"] = "NOT_SUPPORTED", ["message"] = "not implemented yet" },
    };
    Console.Out.Write(result.ToJsonString() + "\n");
    Console.Out.Flush();
    if (type == "shutdown") break;
}
