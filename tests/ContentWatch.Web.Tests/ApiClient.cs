using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContentWatch.Web.Tests;

/// <summary>A thin HTTP client for the API with one key.</summary>
internal sealed class ApiClient(Uri baseAddress, string? key) : IDisposable
{
    private readonly HttpClient _http = Create(baseAddress, key);

    public HttpClient Http => _http;

    private static HttpClient Create(Uri baseAddress, string? key)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body) => _http.PostAsJsonAsync(path, body);

    public Task<HttpResponseMessage> PostRawAsync(string path, string body, string contentType = "application/json") =>
        _http.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public async Task<string> CreateKeyAsync(string role, string? platform = null)
    {
        using var response = await PostJsonAsync("/api/keys", new { role, platform });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await ReadJsonAsync(response))["key"]!.GetValue<string>();
    }

    /// <summary>Polls until <paramref name="done"/> holds, failing after <paramref name="timeout"/>.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds:F0} s waiting for {what}; last: {(value is JsonNode n ? n.ToJsonString() : value)}");
            }

            await Task.Delay(100);
        }
    }

    public static string Json(object value) => JsonSerializer.Serialize(value);

    public void Dispose() => _http.Dispose();
}
