namespace ScoreHub.Sdk.Testing;

/// <summary>
/// Builds the <see cref="ActionRequest"/> the host hands an action: by default Ann Smith
/// (<c>ann@example.com</c>) going from 40 (<c>warm</c>) to 80 (<c>hot</c>) on trigger <c>trg_test</c>.
/// </summary>
public sealed class ActionRequestBuilder
{
    private string _idempotencyKey = "trg_test:lead_1:1";
    private string _triggerId = "trg_test";
    private long _sequence = 1;
    private PluginSettings _parameters = PluginSettings.Empty;
    private LeadSnapshot _lead = new()
    {
        Id = "lead_1",
        Email = "ann@example.com",
        Properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["firstName"] = "Ann",
            ["lastName"] = "Smith",
            ["company"] = "Acme",
        },
    };

    private ScoreTransition _transition = new()
    {
        ScoreId = "lead-score",
        ScoreName = "Lead score",
        FromValue = 40,
        FromLabel = "warm",
        ToValue = 80,
        ToLabel = "hot",
        At = TestDefaults.Now,
        Cause = "event",
    };

    /// <summary>The trigger's parameters for the action, a JSON object.</summary>
    public ActionRequestBuilder WithParameters(string json) => WithParameters(PluginSettings.Parse(json));

    /// <summary>The trigger's parameters for the action.</summary>
    public ActionRequestBuilder WithParameters(PluginSettings parameters)
    {
        _parameters = parameters;
        return this;
    }

    /// <summary>The lead the transition is about.</summary>
    public ActionRequestBuilder WithLead(LeadSnapshot lead)
    {
        _lead = lead;
        return this;
    }

    /// <summary>The transition.</summary>
    public ActionRequestBuilder WithTransition(ScoreTransition transition)
    {
        _transition = transition;
        return this;
    }

    /// <summary>The trigger's id; the idempotency key follows unless set explicitly afterwards.</summary>
    public ActionRequestBuilder WithTrigger(string triggerId)
    {
        _triggerId = triggerId;
        _idempotencyKey = $"{triggerId}:{_lead.Id}:{_sequence}";
        return this;
    }

    /// <summary>The trigger's action counter in the workspace (1, 2, 3, ...).</summary>
    public ActionRequestBuilder WithSequence(long sequence)
    {
        _sequence = sequence;
        return this;
    }

    /// <summary>The idempotency key, stable across retries.</summary>
    public ActionRequestBuilder WithIdempotencyKey(string key)
    {
        _idempotencyKey = key;
        return this;
    }

    /// <summary>The request.</summary>
    public ActionRequest Build() => new()
    {
        IdempotencyKey = _idempotencyKey,
        TriggerId = _triggerId,
        Transition = _transition,
        Lead = _lead,
        Parameters = _parameters,
        Sequence = _sequence,
    };
}
