import './builder.js';
