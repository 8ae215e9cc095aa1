using FluentValidation;
using Mediator;

namespace ScoreHub.Host.Core;

/// <summary>A command or query that names which key kinds may send it.</summary>
internal interface IAuthorized
{
    Caller Caller { get; }

    /// <summary>Key kinds allowed to send this message.</summary>
    IReadOnlyCollection<KeyKind> AllowedKinds { get; }
}

/// <summary>Refuses a message whose caller's key kind is not allowed: the second line of defence behind endpoint policies.</summary>
internal sealed class AuthorizationBehavior<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        if (message is IAuthorized authorized)
        {
            if (!authorized.AllowedKinds.Contains(authorized.Caller.Kind))
            {
                throw new AccessDeniedException($"A {authorized.Caller.Kind.ToString().ToLowerInvariant()} key may not do this.");
            }

            if (authorized.Caller.Kind != KeyKind.Admin && authorized.Caller.WorkspaceId is null)
            {
                throw new AccessDeniedException("This needs a workspace key.");
            }
        }

        return next(message, ct);
    }
}

/// <summary>Runs every FluentValidation validator of the message; any failure becomes a 400 naming the fields.</summary>
internal sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, ct);
            if (!result.IsValid)
            {
                throw new RequestValidationException(result.Errors
                    .GroupBy(e => e.PropertyName)
                    .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()));
            }
        }

        return await next(message, ct);
    }
}
