package io.github.cctv.protocol;

/**
 * The JSON body of every HTTP error answer of the recorder and the dashboard, so that an error passed on from one
 * to the other (the dashboard proxies the recorder's API) reaches the browser with its message:
 * {@code {"status":404,"error":"Not Found","message":"no recording cam1_2026-01-01_00-00-00"}}.
 *
 * @param status  the HTTP status code, repeated for clients that only see the body
 * @param error   the status' reason phrase
 * @param message what went wrong, in words fit for the person who asked
 */
public record ErrorBody(int status, String error, String message) {

    /** The body for {@code status} with its standard reason phrase. */
    public static ErrorBody of(int status, String message) {
        return new ErrorBody(status, reasonPhrase(status), message);
    }

    /** The standard reason phrase of the status codes these services answer with. */
    public static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 416 -> "Range Not Satisfiable";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status >= 500 ? "Server Error" : "Error";
        };
    }
}
