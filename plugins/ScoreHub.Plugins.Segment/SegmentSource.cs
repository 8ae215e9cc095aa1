using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using ScoreHub.Plugins.Shared;
using ScoreHub.Sdk;

namespace ScoreHub.Plugins.Segment;

/// <summary>
/// Segment's HTTP Tracking API as a signal source: <c>/v1/batch</c> (and <c>/v1/import</c>) with a <c>batch</c> array,
/// or one call at <c>/v1/track</c>, <c>/v1/identify</c>, <c>/v1/page</c>, <c>/v1/screen</c>, <c>/v1/group</c>,
/// <c>/v1/alias</c>. All or nothing: one bad or oversized message rejects the request and nothing is stored.
/// The sender is authenticated by the host (the write key is the workspace's ingest key), so there is no signature here.
/// Stateless, so one instance serves every workspace concurrently.
/// </summary>
internal sealed class SegmentSource : ISignalSource
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 32 };

    private static readonly HashSet<string> BatchCalls = new(StringComparer.Ordinal) { "batch", "import" };

    public PluginManifest Manifest { get; } = new()
    {
        Id = "scorehub.segment",
        Name = "Segment-compatible ingest",
        Version = typeof(SegmentSource).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.SignalSource,
        Description = "Receives Segment HTTP Tracking API calls (batch, track, identify, page, screen, group, alias) from Segment "
            + "and RudderStack clients or a Segment destination; the write key is the workspace's ingest key.",
        Settings = SegmentOptions.Descriptors,
    };

    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return SegmentOptions.Validate(settings);
    }

    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(Handle(request, context));
    }

    private static SourceResponse Handle(SourceRequest request, SourceContext context)
    {
        var call = request.Path.Trim('/');
        if (call.StartsWith("v1/", StringComparison.Ordinal))
        {
            call = call[3..];
        }

        var isBatch = BatchCalls.Contains(call);
        if (!isBatch && !SegmentMessage.Calls.Contains(call))
        {
            return SourceResponse.Reply(404,
                $"Unknown Segment call '{request.Path}'. Use /v1/batch, /v1/track, /v1/identify, /v1/page, /v1/screen, /v1/group or /v1/alias.");
        }

        if (request.Method != "POST")
        {
            return SourceResponse.Reply(405, "Segment calls are sent with POST.");
        }

        if (isBatch && request.Body.Length > SegmentOptions.MaxBatchBytes)
        {
            return SourceResponse.BadRequest("batch",
                $"The batch is {request.Body.Length} bytes; the limit is 500 KB ({SegmentOptions.MaxBatchBytes} bytes). Nothing was stored.");
        }

        if (!isBatch && request.Body.Length > SegmentOptions.MaxEventBytes)
        {
            return TooLarge("body", request.Body.Length);
        }

        JsonDocument document;
        try
        {
            document = StrictJson.Parse(request.Body.Span, JsonOptions.MaxDepth);
        }
        catch (JsonException ex)
        {
            return SourceResponse.BadRequest("body", $"The body is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return SourceResponse.BadRequest("body", "The body must be a JSON object.");
            }

            var mapper = new SegmentMessage(new SegmentSettings(context.Settings), context.Clock.GetUtcNow(), root);
            return isBatch ? Batch(root, mapper) : Single(root, call, mapper);
        }
    }

    private static SourceResponse Single(JsonElement root, string call, SegmentMessage mapper)
    {
        var (signal, error) = mapper.Map(root, call, "");
        if (error is { } e)
        {
            return SourceResponse.BadRequest(e.Field, e.Message);
        }

        return SourceResponse.Accept(signal is null ? [] : [signal]);
    }

    private static SourceResponse Batch(JsonElement root, SegmentMessage mapper)
    {
        if (!root.TryGetProperty("batch", out var batch) || batch.ValueKind != JsonValueKind.Array)
        {
            return SourceResponse.BadRequest("batch", "The body must be an object with a 'batch' array.");
        }

        var count = batch.GetArrayLength();
        if (count > SegmentOptions.MaxBatchMessages)
        {
            return SourceResponse.BadRequest("batch",
                $"A batch holds at most {SegmentOptions.MaxBatchMessages} messages; this one has {count}. Nothing was stored.");
        }

        // Sizes first, so an oversized message is reported even when an earlier one is also malformed.
        var index = 0;
        foreach (var item in batch.EnumerateArray())
        {
            var size = JsonMarshal.GetRawUtf8Value(item).Length;
            if (size > SegmentOptions.MaxEventBytes)
            {
                return TooLarge($"batch[{index}]", size);
            }

            index++;
        }

        var signals = new List<Signal>(count);
        index = 0;
        foreach (var item in batch.EnumerateArray())
        {
            var path = $"batch[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                return SourceResponse.BadRequest(path, $"'{path}' must be an object.");
            }

            var type = item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type is null || !SegmentMessage.Calls.Contains(type))
            {
                return SourceResponse.BadRequest(path + ".type",
                    $"'{path}.type' must be one of {string.Join(", ", SegmentMessage.Calls.Order(StringComparer.Ordinal))}.");
            }

            var (signal, error) = mapper.Map(item, type, path + ".");
            if (error is { } e)
            {
                return SourceResponse.BadRequest(e.Field, e.Message);
            }

            if (signal is not null)
            {
                signals.Add(signal);
            }
        }

        return SourceResponse.Accept(signals);
    }

    private static SourceResponse TooLarge(string field, int size) =>
        SourceResponse.BadRequest(field, string.Create(CultureInfo.InvariantCulture,
            $"'{field}' is {size} bytes; the limit is 32 KB ({SegmentOptions.MaxEventBytes} bytes) per event. Nothing was stored."));
}
