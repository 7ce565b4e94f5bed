// Consuming: the three durable ways to process a stream's messages, side by side on the embedded server.
// Usage: dotnet run --project samples/Consuming
// A producer appends typed orders to orders/{region}; they are processed by
//   - two pull-wake workers sharing one pull-wake subscription over orders/* (one lease holder at a time),
//   - a webhook receiver (MapDurableStreamsWebhook in this app) with a webhook subscription of its own,
//   - a checkpointed consumer per stream, its checkpoints kept in a stream on the same server.
// It prints who processed what, then checks that each of them saw exactly the orders written (the workers
// together: each order once) and exits 0, or prints what is missing and exits 1.
using Consuming;
using DurableStreams;
using DurableStreams.Consumers;
using DurableStreams.Server;
using DurableStreams.Subscriptions;

// Never hang: whatever happens, the process ends within a minute.
_ = Task.Run(async () =>
{
    await Task.Delay(TimeSpan.FromSeconds(60));
    Console.WriteLine("FAILED: the sample did not finish within 60 s");
    Environment.Exit(1);
});

string[] regions = ["eu", "us", "apac"];

// 1. The embedded server, with webhooks on; http://127.0.0.1 webhook URLs are for development only.
await using var server = await DurableStreamsServer.StartAsync(new DurableStreamsServerOptions
{
    Subscriptions = { EnableWebhooks = true, AllowLocalhostWebhooks = true },
});
Console.WriteLine($"server    {server.BaseAddress} (embedded, in process)");
using var client = new DurableStreamClient(server.BaseAddress);
foreach (var region in regions) await OrderStream.For(client, region).CreateAsync(ttl: TimeSpan.FromHours(1));

// 2. The pull-wake subscription over orders/*, for the workers. Its wake stream is an ordinary JSON stream that
//    the application creates (§7.2).
await client.GetStream("consuming/wakes").CreateAsync(new CreateStreamOptions { ContentType = "application/json" });
var subscriptions = new SubscriptionClient(client);
await subscriptions.CreateAsync("orders-workers", SubscriptionDefinition.PullWake("consuming/wakes", pattern: "orders/*"));

// 3. This app, on a Kestrel of its own: the webhook receiver, two pull-wake workers sharing "orders-workers" (whoever
//    claims a wake processes it) and a checkpointed consumer per stream, all hosted services.
var ledger = new Ledger();
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton(ledger);
builder.Services.AddDurableStreams(o => o.BaseAddress = server.BaseAddress);
builder.Services.AddSingleton<ICheckpointStore>(sp =>
    new StreamCheckpointStore(sp.GetRequiredService<DurableStreamClient>(), "consuming/checkpoints"));
foreach (var region in regions)
    builder.Services.AddDurableStreamConsumer<ConsumerHandler, Order>(
        $"orders-consumer-{region}", sp => OrderStream.For(sp.GetRequiredService<DurableStreamClient>(), region),
        o => o.CheckpointEveryMessages = 1);
builder.Services.AddScoped<IStreamHandler<Order>, WebhookHandler>();
builder.Services.AddDurableStreamPullWakeWorker<Worker1Handler, Order>("worker-1", OrdersJson.Default.Order,
    o => { o.SubscriptionId = "orders-workers"; o.WorkerName = "worker-1"; });
builder.Services.AddDurableStreamPullWakeWorker<Worker2Handler, Order>("worker-2", OrdersJson.Default.Order,
    o => { o.SubscriptionId = "orders-workers"; o.WorkerName = "worker-2"; });

var app = builder.Build();
app.MapDurableStreamsWebhook("/hooks/orders", OrdersJson.Default.Order, o => o.StreamRoot = server.BaseAddress);
await app.StartAsync();
var appAddress = new Uri(app.Urls.First());
Console.WriteLine($"app       {appAddress} (webhook receiver, workers, consumers)");

// 4. The webhook subscription over orders/*, for the receiver at this app's address.
await subscriptions.CreateAsync("orders-webhook", SubscriptionDefinition.ForWebhook(new Uri(appAddress, "/hooks/orders"), pattern: "orders/*"));

// 5. The producer: four rounds of one order per region.
var number = 0;
for (var round = 0; round < 4; round++)
{
    foreach (var region in regions)
    {
        var order = new Order($"o-{++number:00}", region, 10m * number + 0.5m);
        ledger.Written($"orders/{region}", order);
        await OrderStream.For(client, region).AppendAsync(order);
    }
    await Task.Delay(200); // wakes arrive between rounds, so both workers get a chance to claim
}

// 6. Wait until everyone has processed everything (or 20 s), then stop and check.
var deadline = DateTime.UtcNow.AddSeconds(20);
while (!ledger.Complete && DateTime.UtcNow < deadline) await Task.Delay(50);

await app.StopAsync(); // the workers ack and release, the consumers checkpoint what they finished
var checkpoints = new StreamCheckpointStore(client, "consuming/checkpoints"); // read back from the stream
foreach (var region in regions)
    Console.WriteLine($"checkpoint orders-consumer-{region} orders/{region} at {await checkpoints.LoadAsync($"orders-consumer-{region}", $"orders/{region}")}");
var acked = await subscriptions.GetAsync("orders-workers");
Console.WriteLine($"acked     orders-workers: {string.Join(", ", acked!.Streams.Select(s => $"{s.Path} {s.AckedOffset}"))}");
await app.DisposeAsync();

Console.WriteLine($"processed {ledger.Summary()} of {ledger.WrittenCount} written");
var problems = ledger.Problems();
foreach (var problem in problems) Console.WriteLine($"problem   {problem}");
Console.WriteLine(problems.Count == 0
    ? "ok: consumer and webhook each processed every order written; worker-1 and worker-2 together processed each once"
    : $"FAILED: {problems.Count} problem(s)");
return problems.Count == 0 ? 0 : 1;
