using ScoreHub.Sdk;

[assembly: ScoreHubPlugin(typeof(ScoreHub.Plugins.Cart.CartSource))]

namespace ScoreHub.Plugins.Cart;

/// <summary>
/// Routes <c>POST /shopify</c> (Shopify checkout and order webhooks) and <c>POST /carts</c> (the generic cart API) to
/// their parsers, and turns what they read into signals, schedules and cancellations (<see cref="CartSignals"/>).
/// Stateless: the pending abandonments live in the host, so one instance serves every workspace concurrently.
/// </summary>
internal sealed class CartSource : ISignalSource
{
    public const string ShopifyPath = "/shopify";
    public const string CartsPath = "/carts";

    public PluginManifest Manifest { get; } = new()
    {
        Id = "scorehub.cart",
        Name = "Carts and checkouts",
        Version = typeof(CartSource).Assembly.GetName().Version?.ToString(3) ?? "1.0.0",
        SdkVersion = ScoreHubSdk.Version,
        Kinds = PluginKinds.SignalSource,
        Description = "Receives Shopify checkout and order webhooks and a generic cart API; records cart updates and completed checkouts, and a cart.abandoned when a cart with a known contact is not completed in time.",
        Settings = CartOptions.Descriptors,
    };

    public ValidationReport ValidateSettings(PluginSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var report = settings.CheckAgainst(CartOptions.Descriptors);
        if (settings.TryGet(CartOptions.AbandonAfter, out var minutes) && minutes.ValueKind == System.Text.Json.JsonValueKind.Number
            && (!minutes.TryGetInt32(out var whole) || whole < 1 || whole > CartOptions.MaxAbandonAfterMinutes))
        {
            report = report.Merge(ValidationReport.Invalid(new FieldError(CartOptions.AbandonAfter,
                $"'{CartOptions.AbandonAfter}' must be a whole number of minutes from 1 to {CartOptions.MaxAbandonAfterMinutes}.")));
        }

        return report;
    }

    public ValueTask<SourceResponse> HandleAsync(SourceRequest request, SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var abandonAfter = TimeSpan.FromMinutes(context.Settings.GetNumber(CartOptions.AbandonAfter, CartOptions.DefaultAbandonAfterMinutes));
        var path = request.Path.TrimEnd('/');
        var response = path switch
        {
            _ when request.Method != "POST" => SourceResponse.BadRequest("method", $"Only POST is accepted; this was {request.Method}."),
            _ when string.Equals(path, ShopifyPath, StringComparison.OrdinalIgnoreCase) =>
                ShopifyWebhook.Handle(request, context.Settings.GetString(CartOptions.ClientSecret), abandonAfter),
            _ when string.Equals(path, CartsPath, StringComparison.OrdinalIgnoreCase) =>
                CartApi.Handle(request, context.Clock.GetUtcNow(), abandonAfter),
            _ => SourceResponse.BadRequest("path", $"Post Shopify webhooks to {ShopifyPath} and carts to {CartsPath}."),
        };
        return ValueTask.FromResult(response);
    }
}
