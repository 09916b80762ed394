export { graphFromTfjsModelFiles as importGraphModel } from '@modelport/core';
