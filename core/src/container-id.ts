/** The session's own inversify container, bound in itself (for services that read contributions). */
export const ContainerId = Symbol.for('modelport.Container');
