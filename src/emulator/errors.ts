/**
 * How the emulator's handlers fail, mirroring the plugin's three failure paths: a `ServiceException` rendered by
 * `RESTExceptionMapper` as an `<error>` entity (openfire-rest-api.md §4.3), a response without entity rendered by the
 * container (openfire-rest-api.md §4.6), and an exception nobody maps, which becomes a container 500 `Request failed.`.
 */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly exception: string,
    message: string,
    /** `null` is omitted from the entity. */
    readonly resource: string | null,
  ) {
    super(message);
  }
}

export class ContainerError extends Error {
  constructor(
    readonly status: number,
    readonly reason?: string,
  ) {
    super(reason ?? `HTTP ${status}`);
  }
}

/** An exception Openfire does not map (NPE, invalid JID, …): the caller sees a bare 500 page. */
export class UnmappedError extends Error {}

export const notFound = (exception: string, message: string, resource: string | null): ServiceError =>
  new ServiceError(404, exception, message, resource);

export const userNotFound = (resource: string): ServiceError =>
  notFound('UserNotFoundException', 'Could not get user', resource);

export const groupNotFound = (resource: string): ServiceError =>
  notFound('GroupNotFoundException', 'Could not find group', resource);

export const badRequest = (exception: string, message: string, resource: string | null): ServiceError =>
  new ServiceError(400, exception, message, resource);

export const conflict = (exception: string, message: string, resource: string | null): ServiceError =>
  new ServiceError(409, exception, message, resource);
