using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;

namespace ContentWatch.Web.Tests;

/// <summary>kill -9 loses no accepted report and no recorded decision; after a restart the sweep finishes the work.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const string AdminKey = "cw_crash_admin_key_0123456789abcdef";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "contentwatch-crash", Guid.NewGuid().ToString("N"));

    public CrashRecoveryTests() => Directory.CreateDirectory(_dataDirectory);

    [Fact]
    public async Task Kill9_LosesNothingAccepted_AndRestartFinishesClassificationAndExports()
    {
        var settings = new Dictionary<string, string>
        {
            ["Classification__ClaimLeaseSeconds"] = "2",
            ["Classification__BatchSize"] = "64",
            ["Classification__ReviewThreshold"] = "0",
            ["Export__Cron"] = "0 0 1 1 *",
        };
        var accepted = new ConcurrentBag<string>();
        var confirmed = new Dictionary<string, string>();

        using (var first = await ServiceProcess.StartAsync(_dataDirectory, AdminKey, settings))
        {
            using var client = new ApiClient(first.BaseAddress, AdminKey);
            foreach (var id in await PostBatchAsync(client, "warm", 0, 50))
            {
                accepted.Add(id);
            }

            // decide on a few items once they are classified (threshold 0: every item goes to review)
            var queue = await ApiClient.EventuallyAsync(() => client.GetJsonAsync("/api/review/queue?limit=5"),
                q => q["items"]!.AsArray().Count >= 3, TimeSpan.FromSeconds(30), "three items in the queue");
            foreach (var entry in queue["items"]!.AsArray().Take(3))
            {
                var id = entry!["id"]!.GetValue<string>();
                using var decided = await client.PostJsonAsync($"/api/items/{id}/decision", new { decision = "confirm", category = "smuggling_service", reason = "crash test" });
                Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
                confirmed[id] = (await ApiClient.ReadJsonAsync(decided))["referralId"]!.GetValue<string>();
            }

            // keep posting from four clients and kill the process in the middle of it
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                using var writer = new ApiClient(first.BaseAddress, AdminKey);
                for (var batch = 0; !stop.IsCancellationRequested; batch++)
                {
                    try
                    {
                        foreach (var id in await PostBatchAsync(writer, $"w{w}", batch, 100))
                        {
                            accepted.Add(id);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the server is gone: this batch was never accepted
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }
                }
            })).ToArray();
            await ApiClient.EventuallyAsync(() => Task.FromResult(accepted.Count), n => n >= 1_000, TimeSpan.FromSeconds(60), "1,000 accepted reports");
            first.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        using var second = await ServiceProcess.StartAsync(_dataDirectory, AdminKey, settings);
        using var admin = new ApiClient(second.BaseAddress, AdminKey);
        foreach (var id in accepted)
        {
            using var response = await admin.Http.GetAsync($"/api/items/{id}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"accepted item {id} was lost");
        }

        foreach (var (itemId, referralId) in confirmed)
        {
            var item = await admin.GetJsonAsync($"/api/items/{itemId}");
            Assert.Equal("confirmed", item["status"]!.GetValue<string>());
            Assert.Single((await admin.GetJsonAsync($"/api/items/{itemId}/audit"))["items"]!.AsArray());
            var referral = await ApiClient.EventuallyAsync(() => admin.GetJsonAsync($"/api/referrals/{referralId}"),
                r => r["status"]!.GetValue<string>() == "exported", TimeSpan.FromSeconds(30), "the start-up sweep to export the pending referral");
            Assert.NotNull(referral["exportId"]);
        }

        await ApiClient.EventuallyAsync(() => admin.GetJsonAsync("/api/items?status=pending&limit=1"),
            r => r["items"]!.AsArray().Count == 0, TimeSpan.FromSeconds(90), "every pending item to be classified after the restart");
    }

    private static async Task<IReadOnlyList<string>> PostBatchAsync(ApiClient client, string writer, int batch, int size)
    {
        var reports = Enumerable.Range(0, size).Select(i => new
        {
            platform = "crashbook",
            url = $"https://crash.example/{writer}/{batch}/{i}",
            text = $"Boat to UK from Calais, price 1200 euro, call +44 7700 900{i:000}. Batch {writer}-{batch}-{i}",
        }).ToArray();
        using var response = await client.PostJsonAsync("/api/reports", reports);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return [.. (await ApiClient.ReadJsonAsync(response))["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
