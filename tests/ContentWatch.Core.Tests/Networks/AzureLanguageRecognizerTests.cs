using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ContentWatch.Core.Networks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ContentWatch.Core.Tests.Networks;

/// <summary>The Azure AI Language client against a fake service on 127.0.0.1: what it sends, 429 with Retry-After, the circuit breaker.</summary>
public sealed class AzureLanguageRecognizerTests : IDisposable
{
    private const string Key = "test-key-0123456789";
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<(string? Key, JsonNode Body)> requests = new();
    private Func<int, JsonNode, (int Status, string? RetryAfter, JsonNode? Body)> answer = (_, body) => (200, null, Answer(body));
    private readonly string endpoint;

    public AzureLanguageRecognizerTests()
    {
        var port = FreePort();
        endpoint = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add(endpoint + "/");
        listener.Start();
        _ = Task.Run(ServeAsync);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = JsonNode.Parse(await reader.ReadToEndAsync())!;
            Assert.Equal("/language/:analyze-text", context.Request.Url!.AbsolutePath);
            requests.Enqueue((context.Request.Headers["Ocp-Apim-Subscription-Key"], body));
            var (status, retryAfter, reply) = answer(requests.Count, body);
            context.Response.StatusCode = status;
            if (retryAfter is not null)
            {
                context.Response.Headers["Retry-After"] = retryAfter;
            }

            var bytes = Encoding.UTF8.GetBytes(reply?.ToJsonString() ?? "{}");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    /// <summary>What the service answers: a phone as PII, Calais and a company as entities, French as the language.</summary>
    private static JsonNode Answer(JsonNode request)
    {
        var kind = request["kind"]!.GetValue<string>();
        var documents = new JsonArray([.. request["analysisInput"]!["documents"]!.AsArray().Select(d => (JsonNode)(kind switch
        {
            "PiiEntityRecognition" => new JsonObject
            {
                ["id"] = d!["id"]!.GetValue<string>(), ["redactedText"] = "***",
                ["entities"] = new JsonArray(new JsonObject { ["text"] = "+44 7700 900123", ["category"] = "PhoneNumber", ["offset"] = 0, ["length"] = 15, ["confidenceScore"] = 0.9 }),
            },
            "EntityRecognition" => new JsonObject
            {
                ["id"] = d!["id"]!.GetValue<string>(),
                ["entities"] = new JsonArray(
                    new JsonObject { ["text"] = "Calais", ["category"] = "Location", ["subcategory"] = "City", ["offset"] = 0, ["length"] = 6, ["confidenceScore"] = 0.99 },
                    new JsonObject { ["text"] = "Channel Travel Ltd", ["category"] = "Organization", ["offset"] = 0, ["length"] = 18, ["confidenceScore"] = 0.8 },
                    new JsonObject { ["text"] = "tomorrow", ["category"] = "DateTime", ["offset"] = 0, ["length"] = 8, ["confidenceScore"] = 0.8 }),
            },
            _ => new JsonObject { ["id"] = d!["id"]!.GetValue<string>(), ["detectedLanguage"] = new JsonObject { ["name"] = "French", ["iso6391Name"] = "fr", ["confidenceScore"] = 1.0 } },
        }))]);
        return new JsonObject { ["kind"] = kind + "Results", ["results"] = new JsonObject { ["documents"] = documents, ["errors"] = new JsonArray(), ["modelVersion"] = "2023-09-01" } };
    }

    private AzureLanguageRecognizer Recognizer(TimeProvider? time = null, int retries = 3, int breakerFailures = 5) => new(
        Options.Create(new TextAnalyticsOptions { Enabled = true, Endpoint = endpoint, Key = Key, MaxRetries = retries, BreakerFailures = breakerFailures, BreakerSeconds = 60 }),
        new IndicatorExtractor(), time ?? TimeProvider.System, NullLogger<AzureLanguageRecognizer>.Instance);

    [Fact]
    public async Task Recognize_SendsTheKey_InBatchesOfFive_AndMergesIndicatorsEntitiesAndLanguage()
    {
        var texts = Enumerable.Range(0, 12).Select(i => $"Départ de Calais demain, appelez le +44 7700 900123 ({i})").ToList();
        texts[3] = new string('x', 9_000);

        var results = await Recognizer().RecognizeAsync(texts, CancellationToken.None);

        Assert.Equal(12, results.Count);
        Assert.All(results, r =>
        {
            Assert.Equal([new Indicator(IndicatorTypes.Phone, "+447700900123")], r.Indicators);
            Assert.Equal([new ItemEntity("location", "Calais"), new ItemEntity("organization", "Channel Travel Ltd")], r.Entities);
            Assert.Equal("fr", r.Language);
        });
        var sent = requests.ToList();
        Assert.Equal(9, sent.Count); // three kinds × batches of 5, 5 and 2
        Assert.All(sent, r => Assert.Equal(Key, r.Key));
        Assert.Equal([5, 5, 2], sent.Where(r => r.Body["kind"]!.GetValue<string>() == "PiiEntityRecognition").Select(r => r.Body["analysisInput"]!["documents"]!.AsArray().Count));
        Assert.All(sent, r => Assert.All(r.Body["analysisInput"]!["documents"]!.AsArray(), d => Assert.True(d!["text"]!.GetValue<string>().Length <= 5_120)));
    }

    [Fact]
    public async Task TooManyRequests_IsRetriedAfterTheWaitRetryAfterGives()
    {
        answer = (n, body) => n == 1 ? (429, "1", new JsonObject { ["error"] = new JsonObject { ["code"] = "429" } }) : (200, null, Answer(body));
        var watch = Stopwatch.StartNew();

        var result = Assert.Single(await Recognizer().RecognizeAsync(["Calais"], CancellationToken.None));

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.95), $"retried after {watch.Elapsed.TotalSeconds:F2} s, before Retry-After's 1 s");
        Assert.Equal(4, requests.Count);
        Assert.Equal("fr", result.Language);
    }

    [Fact]
    public async Task FailuresInARow_OpenTheCircuit_NothingIsSentUntilItCloses()
    {
        answer = (_, _) => (500, null, null);
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var recognizer = Recognizer(time, retries: 0, breakerFailures: 2);

        var first = await recognizer.RecognizeAsync(["one", "two"], CancellationToken.None);
        var sentBeforeOpen = requests.Count;
        var second = await recognizer.RecognizeAsync(["three"], CancellationToken.None);
        var sentWhileOpen = requests.Count;
        time.Advance(TimeSpan.FromSeconds(61));
        answer = (_, body) => (200, null, Answer(body));
        var third = await recognizer.RecognizeAsync(["Calais"], CancellationToken.None);

        Assert.Equal(2, sentBeforeOpen);
        Assert.Equal(2, sentWhileOpen);
        Assert.All(first.Concat(second), r => Assert.Same(Enrichment.None, r));
        Assert.True(recognizer.Available);
        Assert.Equal("fr", Assert.Single(third).Language);
    }

    [Fact]
    public async Task Off_SendsNothing()
    {
        var results = await new NoEntityRecognizer().RecognizeAsync(["Calais +44 7700 900123"], CancellationToken.None);

        Assert.Same(Enrichment.None, Assert.Single(results));
        Assert.Empty(requests);
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
    }
}
